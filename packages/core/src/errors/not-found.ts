import { AppError } from './app-error.ts';

/** Another tenant's resource and a missing one look the same: 404, never 403. */
export const notFound = (what: string, id: string) => new AppError('not_found', `${what} ${id} was not found.`);
