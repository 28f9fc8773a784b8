-- AlterTable
ALTER TABLE "users" ADD COLUMN     "permissions" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "sub_user" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "server_permissions" (
    "user_id" TEXT NOT NULL,
    "server_id" TEXT NOT NULL,
    "permissions" TEXT[],

    CONSTRAINT "server_permissions_pkey" PRIMARY KEY ("user_id","server_id")
);

-- CreateIndex
CREATE INDEX "server_permissions_server_id_idx" ON "server_permissions"("server_id");

-- AddForeignKey
ALTER TABLE "server_permissions" ADD CONSTRAINT "server_permissions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "server_permissions" ADD CONSTRAINT "server_permissions_server_id_fkey" FOREIGN KEY ("server_id") REFERENCES "servers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

