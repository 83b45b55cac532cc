// Runs graphql-http's serverAudits against the GraphQL endpoint given as the only argument
// and prints one JSON array: [{id, name, status, reason}], status being ok, warn or error.
// Used by tests/surface/test_http_audit.py; exits non-zero only when it cannot run.
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <url>');
  process.exit(2);
}

const results = [];
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  results.push({
    id: result.id,
    name: result.name,
    status: result.status,
    reason: result.status === 'ok' ? null : result.reason,
  });
}
console.log(JSON.stringify(results));
