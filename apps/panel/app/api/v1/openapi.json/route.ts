import { buildOpenApi } from '@berth/contracts';

// Public: the document describes the API, it holds no data.
const doc = JSON.stringify(buildOpenApi());
export const GET = () => new Response(doc, { headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' } });
