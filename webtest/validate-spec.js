#!/usr/bin/env node
// validate-spec.js checks API documents with @apidevtools/swagger-parser: each against
// the Swagger 2.0 or OpenAPI 3 JSON schema, then its references and what the schema
// cannot say (unique operationIds, path parameters declared, …). It prints one JSON
// array on stdout, an entry per document: {"file": "...", "version": "...", "errors": [...]}.
//
//   node validate-spec.js FILE...
//
// api/openapi_lint_test.go runs it on the documents the server publishes.
'use strict';

const SwaggerParser = require('@apidevtools/swagger-parser');

async function check(file) {
  try {
    const api = await SwaggerParser.validate(file);
    return { file, version: api.swagger || api.openapi, errors: [] };
  } catch (e) {
    const details = Array.isArray(e.details) && e.details.length > 0
      ? e.details.map((d) => `${d.instancePath || (d.path || []).join('/') || '/'}: ${d.message}`)
      : [String(e.message || e)];
    return { file, errors: details };
  }
}

(async () => {
  const out = [];
  for (const file of process.argv.slice(2)) out.push(await check(file));
  process.stdout.write(JSON.stringify(out) + '\n');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
