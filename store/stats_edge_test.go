package store_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// statsAt asks for a histogram with an optional from and to ("" for none).
func statsAt(s *store.Store, interval, group, from, to string) (*store.Stats, error) {
	f := store.StatsFilter{Interval: interval, GroupBy: group}
	if from != "" {
		d := models.MustParseDate(from)
		f.From = &d
	}
	if to != "" {
		d := models.MustParseDate(to)
		f.To = &d
	}
	return s.EventStats(bg, f)
}

// edgeWant is what the first (or last) bucket of a histogram at an edge must hold.
type edgeWant struct {
	key, start, end string
	count           int64
}

// checkEdgeBucket checks one bucket, and that with a grouping its one group holds the
// whole count (every event has the same type, actor and country).
func checkEdgeBucket(t *testing.T, what string, got store.Bucket, want edgeWant, group, groupKey string) {
	t.Helper()
	if got.Key != want.key || got.Start != want.start || got.End != want.end || got.Count != want.count {
		t.Errorf("%s: bucket %+v, want %+v", what, got, want)
	}
	if group != "" && got.Groups[groupKey] != want.count {
		t.Errorf("%s: groups %v, want %s=%d", what, got.Groups, groupKey, want.count)
	}
}

// TestStatsEdgeYears: the buckets of year 0001 (whose first instant is Go's zero time)
// and of year 9998 (whose last day ends at 9999-01-01, the top of the supported range)
// are laid out and counted like any other, for every interval and grouping, with and
// without from and to, on both databases.
func TestStatsEdgeYears(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a := mkActor(t, s, "Edge Republic", models.ActorState, "CH")
		add := func(date string) {
			e := newEvent("Edge "+date, date)
			e.Participants = []models.Participant{part(a, models.RoleHost)}
			mkEvent(t, s, e)
		}
		// Low edge only: the histogram of the data itself starts at 0001-01-01.
		add("0001")       // year precision: starts 0001-01-01T00:00Z, the zero time
		add("0001-01-01") // day precision, the zero time again
		add("0001-03-15T10:00Z")
		low := map[string]edgeWant{ // first bucket, when the range is the data's own
			"day":   {"0001-01-01", "0001-01-01", "0001-01-02", 2},
			"week":  {"0001-W01", "0001-01-01", "0001-01-08", 2}, // 0001-01-01 is a Monday
			"month": {"0001-01", "0001-01-01", "0001-02-01", 2},
			"year":  {"0001", "0001-01-01", "0002-01-01", 3},
		}
		groupKey := map[string]string{"": "", "type": string(models.EventMeeting), "actor": a.Slug, "country": "CH"}
		for _, interval := range store.StatsIntervals {
			for _, group := range store.StatsGroupings {
				what := fmt.Sprintf("%s/%q", interval, group)
				st, err := statsAt(s, interval, group, "", "")
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				if st.Total != 3 || len(st.Buckets) == 0 {
					t.Fatalf("%s without a range: total %d, %d buckets", what, st.Total, len(st.Buckets))
				}
				checkEdgeBucket(t, what+" first", st.Buckets[0], low[interval], group, groupKey[group])
				var sum int64
				for _, b := range st.Buckets {
					sum += b.Count
				}
				if sum != 3 {
					t.Errorf("%s: buckets hold %d events, want 3", what, sum)
				}
				// from=0001 (the zero time) is a stated bound, not an absent one.
				st, err = statsAt(s, interval, group, "0001", "0001-03")
				if err != nil {
					t.Fatalf("%s from 0001: %v", what, err)
				}
				if len(st.Buckets) == 0 || st.Total != 3 {
					t.Fatalf("%s from 0001 to 0001-03: total %d, %d buckets", what, st.Total, len(st.Buckets))
				}
				checkEdgeBucket(t, what+" from 0001", st.Buckets[0], low[interval], group, groupKey[group])
			}
		}

		// Top edge: year 9998 is the last supported one.
		add("9998")
		add("9998-12-31")
		high := map[string]edgeWant{ // last bucket of from=9998&to=9998
			"day":   {"9998-12-31", "9998-12-31", "9999-01-01", 1},
			"week":  {"9998-W53", "9998-12-28", "9999-01-04", 1},
			"month": {"9998-12", "9998-12-01", "9999-01-01", 1},
			"year":  {"9998", "9998-01-01", "9999-01-01", 2},
		}
		wantLen := map[string]int{"day": 365, "week": 53, "month": 12, "year": 1}
		for _, interval := range store.StatsIntervals {
			for _, group := range store.StatsGroupings {
				what := fmt.Sprintf("%s/%q", interval, group)
				st, err := statsAt(s, interval, group, "9998", "9998")
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				if len(st.Buckets) != wantLen[interval] || st.Total != 2 {
					t.Fatalf("%s from 9998 to 9998: total %d, %d buckets", what, st.Total, len(st.Buckets))
				}
				checkEdgeBucket(t, what+" last", st.Buckets[len(st.Buckets)-1], high[interval], group, groupKey[group])
			}
		}
		// 9998-12-31 at day precision, alone: one bucket ending at the top of the range.
		st, err := statsAt(s, "day", "", "9998-12-31", "9998-12-31")
		if err != nil {
			t.Fatalf("the last day: %v", err)
		}
		if len(st.Buckets) != 1 || st.Buckets[0].End != "9999-01-01" || st.Buckets[0].Count != 1 {
			t.Fatalf("the last day: %+v", st)
		}

		// The data now spans 9,998 years: its own range is capped like a stated one.
		for _, interval := range store.StatsIntervals {
			_, err := statsAt(s, interval, "", "", "")
			wantBucketCap(t, interval+" over the data's 9,998 years", err)
			_, err = statsAt(s, interval, "", "0001", "9998")
			wantBucketCap(t, interval+" from 0001 to 9998", err)
		}
	})
}

// TestStatsBucketCap: a histogram of exactly MaxBuckets intervals is answered, one more
// is refused naming the interval and the cap, whether the range comes from from and to,
// from the data, or from one of each; and the refusal of a stated range holds on an
// empty database.
func TestStatsBucketCap(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		// Empty database: a stated range is laid out (or refused) all the same.
		st, err := statsAt(s, "year", "", "0001", "5000")
		if err != nil {
			t.Fatalf("0001-5000 by year: %v", err)
		}
		if len(st.Buckets) != store.MaxBuckets || st.Buckets[0].Key != "0001" || st.Buckets[store.MaxBuckets-1].Key != "5000" {
			t.Fatalf("0001-5000 by year: %d buckets", len(st.Buckets))
		}
		_, err = statsAt(s, "year", "", "0001", "5001")
		wantBucketCap(t, "0001-5001 by year", err)
		_, err = statsAt(s, "day", "type", "0001", "9998")
		wantBucketCap(t, "0001-9998 by day", err)
		// No events and no range given in full: nothing to lay out.
		for _, r := range [][2]string{{"", ""}, {"0001", ""}, {"", "9998"}} {
			st, err := statsAt(s, "day", "", r[0], r[1])
			if err != nil {
				t.Fatalf("empty, from %q to %q: %v", r[0], r[1], err)
			}
			if len(st.Buckets) != 0 || st.Total != 0 {
				t.Errorf("empty, from %q to %q: %+v", r[0], r[1], st)
			}
		}

		// One bound stated, the other from the data.
		mkEvent(t, s, newEvent("Early", "0001-01-01"))
		mkEvent(t, s, newEvent("Later", "5000-06"))
		st, err = statsAt(s, "year", "", "", "5000")
		if err != nil {
			t.Fatalf("to 5000 by year: %v", err)
		}
		if len(st.Buckets) != store.MaxBuckets || st.Buckets[0].Count != 1 || st.Buckets[store.MaxBuckets-1].Count != 1 {
			t.Fatalf("to 5000 by year: %d buckets", len(st.Buckets))
		}
		_, err = statsAt(s, "year", "", "", "5001")
		wantBucketCap(t, "to 5001 by year", err)
		_, err = statsAt(s, "month", "", "4500", "")
		wantBucketCap(t, "from 4500 by month", err) // to June 5000: 6,006 months
	})
}

// wantBucketCap fails unless err is the 400 of a histogram over the cap: field interval,
// naming the interval and MaxBuckets.
func wantBucketCap(t *testing.T, what string, err error) {
	t.Helper()
	if models.ErrorCodeOf(err) != models.EINVALID {
		t.Errorf("%s: got %v, want the bucket cap", what, err)
		return
	}
	fields := errFields(err)
	msg := err.Error()
	if len(fields) != 1 || fields[0] != "interval" || !strings.Contains(msg, fmt.Sprint(store.MaxBuckets)) {
		t.Errorf("%s: %v does not name interval and the cap %d", what, err, store.MaxBuckets)
	}
}
