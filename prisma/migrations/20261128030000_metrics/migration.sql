-- CreateTable
CREATE TABLE "server_metrics" (
    "server_id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "cpu_ns" BIGINT NOT NULL,
    "memory_bytes" BIGINT NOT NULL,
    "disk_used_bytes" BIGINT NOT NULL,
    "io_read_bytes" BIGINT NOT NULL,
    "io_write_bytes" BIGINT NOT NULL,
    "net_rx_bytes" BIGINT NOT NULL,
    "net_tx_bytes" BIGINT NOT NULL,

    CONSTRAINT "server_metrics_pkey" PRIMARY KEY ("server_id","at")
);

-- CreateTable
CREATE TABLE "server_metrics_hourly" (
    "server_id" TEXT NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "cpu_seconds" DOUBLE PRECISION NOT NULL,
    "memory_avg_bytes" BIGINT NOT NULL,
    "memory_max_bytes" BIGINT NOT NULL,
    "disk_used_bytes" BIGINT NOT NULL,
    "io_read_bytes" BIGINT NOT NULL,
    "io_write_bytes" BIGINT NOT NULL,
    "net_rx_bytes" BIGINT NOT NULL,
    "net_tx_bytes" BIGINT NOT NULL,

    CONSTRAINT "server_metrics_hourly_pkey" PRIMARY KEY ("server_id","hour")
);

-- CreateTable
CREATE TABLE "metric_rollups" (
    "hour" TIMESTAMP(3) NOT NULL,
    "rolled_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "metric_rollups_pkey" PRIMARY KEY ("hour")
);

-- CreateIndex
CREATE INDEX "server_metrics_at_idx" ON "server_metrics"("at");

-- CreateIndex
CREATE INDEX "server_metrics_hourly_hour_idx" ON "server_metrics_hourly"("hour");

