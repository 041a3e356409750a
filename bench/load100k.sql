-- A 100k-event PostgreSQL dataset for timing the research endpoints, loaded in about 30 s:
--   parley migrate up --database-url postgres://…/parley_100k && psql … -d parley_100k -f bench/load100k.sql
-- search_text is lower-cased SQL text here (parley tokenises in Go on writes); the words are plain ASCII or Cyrillic, so the two agree.
INSERT INTO actors (id, version, created_at, updated_at, slug, name, kind, aliases, country, title, external_ids)
SELECT gen_random_uuid(), 1, now(), now(), 'actor-'||i, 'Actor '||i, (ARRAY['state','person','organization'])[1+i%3], '[]',
       (ARRAY['UA','RU','US','TR','AE','CH','FR','DE','CN','QA'])[1+i%10], '', '{}' FROM generate_series(1,2000) i;
INSERT INTO locations (id, version, created_at, updated_at, slug, name, country, admin_area, latitude, longitude, external_ids)
SELECT gen_random_uuid(), 1, now(), now(), 'place-'||i, 'Place '||i, 'US', '', i % 90, i % 180, '{}' FROM generate_series(1,300) i;
CREATE TEMP TABLE a AS SELECT id, row_number() over (order by slug) n FROM actors;
CREATE INDEX ON a(n);
CREATE TEMP TABLE l AS SELECT id, row_number() over (order by slug) n FROM locations;
CREATE INDEX ON l(n);
CREATE TEMP TABLE w AS SELECT * FROM unnest(ARRAY['peace','talks','territory','security','ceasefire','prisoners','grain','energy','sanctions','переговоры','безопасность','guarantees','summit','exchange','donbas','crimea']) WITH ORDINALITY AS t(word, n);
INSERT INTO events (id, version, created_at, updated_at, slug, title, type, cameo_code, status, date_edtf, date_start, date_end, date_precision, date_approximate, date_uncertain, location_id, summary, search_text)
SELECT gen_random_uuid(), 1, now(), now(), 'event-'||i, 'Event '||w1||' '||w2,
       (ARRAY['meeting','negotiation','summit','call','visit'])[1+i%5], '', 'held', to_char(d,'YYYY-MM-DD'), d, d + interval '1 day', 'day', false, false,
       (SELECT id FROM l WHERE n = 1 + (i % 300)), w3||' and '||w1, lower('event '||w1||' '||w2||' '||w3||' and '||w1)
FROM (SELECT i, timestamptz '2006-01-01' + ((i * 7919) % 7300) * interval '1 day' d,
             (SELECT word FROM w WHERE n = 1 + (i*31) % 16) w1, (SELECT word FROM w WHERE n = 1 + (i*17) % 16) w2, (SELECT word FROM w WHERE n = 1 + (i*13) % 16) w3
      FROM generate_series(1,100000) i) s;
INSERT INTO event_participants (event_id, actor_id, role, position, event_start, event_end)
SELECT e.id, a.id, 'participant', r.k, e.date_start, e.date_end FROM events e
CROSS JOIN LATERAL (SELECT k, 1 + floor(2000 * power(random(), 3) + 0 * length(e.slug))::int AS n FROM generate_series(1,3) k) r
JOIN a ON a.n = r.n
ON CONFLICT DO NOTHING;
INSERT INTO event_tags (event_id, tag) SELECT id, (ARRAY['peace-talks','security','energy','grain'])[1 + abs(hashtext(slug)) % 4] FROM events;
INSERT INTO statements (id, version, created_at, updated_at, text, quote, speaker_id, attribution, date_edtf, date_start, date_end, date_precision, date_approximate, date_uncertain, medium, language, event_id, search_text)
SELECT gen_random_uuid(), 1, now(), now(), 'We discussed '||e.title, true, p.actor_id, '', e.date_edtf, e.date_start, e.date_end, 'day', false, false, '', 'en', e.id, lower('we discussed '||e.title)
FROM events e JOIN event_participants p ON p.event_id = e.id AND p.position = 1 WHERE abs(hashtext(e.slug)) % 3 = 0;
ANALYZE;
