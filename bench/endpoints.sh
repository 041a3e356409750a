#!/bin/bash
# Usage: B=http://127.0.0.1:8080 bash bench/endpoints.sh   (against a parley serve on a loaded database)
# The 100k-event PostgreSQL database of issue 3's note: migrate, then psql -f bench/load100k.sql.
# Median of 7 timed requests per endpoint against a running parley (after 1 warm-up).
B=${B:-http://127.0.0.1:18090}
while read -r name path; do
  [ -z "$name" ] && continue
  curl -s -o /dev/null "$B$path"
  ts=$(for i in 1 2 3 4 5 6 7; do curl -s -o /dev/null -w "%{time_total}\n" "$B$path"; done | sort -n | sed -n 4p)
  code=$(curl -s -o /dev/null -w "%{http_code}" "$B$path")
  printf "%-34s %s  %6.1f ms\n" "$name" "$code" "$(echo "$ts*1000" | bc -l)"
done <<'LIST'
events(default)                /api/v1/events
events?actor=top               /api/v1/events?actor=actor-1
events?actor=rare              /api/v1/events?actor=actor-1999
events?actor&actor&match=all   /api/v1/events?actor=actor-1&actor=actor-2&match=all
events?from&to                 /api/v1/events?from=2015-03&to=2015-04
events?q=word                  /api/v1/events?q=crimea
events?q=phrase-excl           /api/v1/events?q=%22peace+talks%22+-donbas
events?q&sort=relevance        /api/v1/events?q=crimea+or+grain&sort=relevance
events?include=all             /api/v1/events?include=participants,location,sources,statements
statements?q                   /api/v1/statements?q=crimea
timeline?format=timelinejs     /api/v1/timeline?format=timelinejs&actor=actor-5
timeline?format=vis            /api/v1/timeline?format=vis&group_by=type&from=2015&to=2015
stats-month-by-type           /api/v1/stats/events?interval=month&group_by=type
stats-week-by-country          /api/v1/stats/events?interval=week&group_by=country&from=2015&to=2016
stats-year-by-actor            /api/v1/stats/events?interval=year&group_by=actor&actor=actor-1
network(top-actor)             /api/v1/actors/actor-1/network
network(rare-actor)            /api/v1/actors/actor-1999/network
graph(all,min_weight=50)      /api/v1/graph?min_weight=50
graph(year)                    /api/v1/graph?from=2015&to=2015
related                        /api/v1/events/event-1/related
LIST
