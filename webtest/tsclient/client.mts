// client.mts drives parley through a client generated from its OpenAPI document, as a
// user of the API would: openapi-typescript writes schema.d.ts from /openapi.json, tsc
// compiles this file with --strict against it, and node runs it. Nothing here is typed
// by hand: a request or response that does not match the document does not compile.
//
// It creates an actor, an event with two participants, and a statement at that event;
// reads the event back with what it embeds; and pages through /events. It prints one
// JSON object on stdout (what it did), and exits 1 on any failure.
//
//   cd webtest && npx openapi-typescript http://localhost:8080/openapi.json -o tsclient/schema.d.ts
//   npx tsc -p tsclient && PARLEY_KEY=parley_… node tsclient/out/client.mjs
//
// Environment: PARLEY_URL (default http://localhost:8080), PARLEY_KEY (a write key),
// PARLEY_PAGE (the page size while paging, default 2). api/tsclient_test.go runs it.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

type Schemas = components["schemas"];

const baseUrl = process.env.PARLEY_URL ?? "http://localhost:8080";
const key = process.env.PARLEY_KEY;
if (!key) {
  throw new Error("set PARLEY_KEY to an API key with the write scope (parley keys create --name me --scope write)");
}
const pageSize = Number(process.env.PARLEY_PAGE ?? "2");

const api = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${key}` } });

// must returns a response's data, or throws with its problem.
function must<T>(what: string, r: { data?: T; error?: unknown; response: Response }): T {
  if (r.data === undefined) {
    throw new Error(`${what}: HTTP ${r.response.status}: ${JSON.stringify(r.error)}`);
  }
  return r.data;
}

// A mediator, created first: references take the id the API answered with, or a slug.
const mediatorBody: Schemas["ActorCreate"] = {
  name: "Hakan Fidan",
  kind: "person",
  country: "TR",
  title: "Minister of Foreign Affairs of Turkey",
  aliases: ["Fidan"],
};
const mediator = must("create the actor", await api.POST("/api/v1/actors", { body: mediatorBody }));

const eventBody: Schemas["EventCreate"] = {
  title: "Russia–Ukraine talks in Istanbul",
  type: "negotiation",
  status: "held",
  date: "2025-05-16",
  summary: "Direct talks hosted by Turkey.",
  tags: ["peace-talks"],
  participants: [
    { actor_id: mediator.id, role: "mediator" },
    { actor_id: "ukraine", role: "delegation" },
  ],
  source_ids: ["meduza-2026-01-23-first-trilateral-talks"],
};
const event = must("create the event", await api.POST("/api/v1/events", { body: eventBody }));

const statementBody: Schemas["StatementCreate"] = {
  text: "We are ready to talk.",
  quote: true,
  speaker_id: mediator.id,
  date: "2025-05-16",
  event_id: event.id,
  medium: "press conference",
  source_ids: ["meduza-2026-01-23-first-trilateral-talks"],
};
const statement = must("create the statement", await api.POST("/api/v1/statements", { body: statementBody }));

// Read the event back, with its participants' actors and its statements embedded.
const read: Schemas["models.Event"] = must(
  "read the event",
  await api.GET("/api/v1/events/{id}", {
    params: { path: { id: event.id }, query: { include: ["participants", "statements"] } },
  }),
);
const actors = read.participants.map((p) => p.actor?.name ?? "?");
const quotes = (read.statements ?? []).map((s) => s.text);
if (!quotes.includes(statementBody.text) || !actors.includes(mediatorBody.name)) {
  throw new Error(`the event read back lacks its statement or mediator: ${JSON.stringify(read)}`);
}

// Page through every event, following next_cursor.
const seen = new Set<string>();
let pages = 0;
let cursor: string | undefined;
do {
  const page: Schemas["handlers.List-models_Event"] = must(
    `page ${pages + 1} of /events`,
    await api.GET("/api/v1/events", { params: { query: { limit: pageSize, cursor } } }),
  );
  pages++;
  for (const e of page.items) {
    if (seen.has(e.id)) throw new Error(`event ${e.id} on two pages`);
    seen.add(e.id);
  }
  cursor = page.next_cursor;
} while (cursor);

console.log(JSON.stringify({
  actor: mediator.id,
  event: event.id,
  event_version: read.version,
  statement: statement.id,
  participants: actors,
  statements: quotes,
  pages,
  events: seen.size,
  found: seen.has(event.id),
}));
