import { AppError } from '@berth/core';
import { problemResponse } from '../../../../server/http.ts';

// Unknown API paths answer problem+json like everything else, not Next's HTML 404 page.
const notFound = async () => problemResponse(new AppError('not_found', 'No such API endpoint.'));
export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
