package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

// Stats intervals and groupings, as the API spells them.
var (
	StatsIntervals = []string{"day", "week", "month", "year"}
	StatsGroupings = []string{"", "type", "actor", "country"}
)

// MaxBuckets caps a histogram: more intervals than this between from and to (or between
// the first and last event) is refused (EINVALID naming interval and the cap).
const MaxBuckets = 5000

// StatsFilter is the /events filter plus the histogram's shape.
type StatsFilter struct {
	EventFilter
	Interval string // day, week (ISO, starting Monday), month, year
	GroupBy  string // "", type, actor, country
}

// Bucket is one interval of the histogram. Counts are of events whose date starts in
// [Start, End); with a grouping, an event counts once in each of its groups (every
// participant for actor, every participant country for country).
type Bucket struct {
	Key    string           `json:"key" example:"2026-01"`
	Start  string           `json:"start" example:"2026-01-01"`
	End    string           `json:"end" example:"2026-02-01"`
	Count  int64            `json:"count"`
	Groups map[string]int64 `json:"groups,omitempty"`
}

// Stats is a histogram of events over time.
type Stats struct {
	Interval string   `json:"interval"`
	GroupBy  string   `json:"group_by,omitempty"`
	Total    int64    `json:"total"`
	Groups   []string `json:"groups,omitempty"`
	// Labels names the groups when their keys are slugs (group_by=actor).
	Labels  map[string]string `json:"labels,omitempty"`
	Buckets []Bucket          `json:"buckets"`
}

// EventStats counts the events matching f per interval, with every empty interval
// between from and to (or between the first and last event) included. A range given
// in full is checked against MaxBuckets before any query.
func (s *Store) EventStats(ctx context.Context, f StatsFilter) (*Stats, error) {
	v := models.NewValidation(models.EINVALID)
	if !slices.Contains(StatsIntervals, f.Interval) {
		v.Add("interval", "must be one of day, week, month, year")
	}
	if !slices.Contains(StatsGroupings, f.GroupBy) {
		v.Add("group_by", "must be one of type, actor, country")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	// A range given in full is checked before any query: a refusal costs nothing.
	if f.From != nil && f.To != nil {
		if err := checkBuckets(statsFirst(f), statsLast(f), f.Interval); err != nil {
			return nil, err
		}
	}
	db := s.db.WithContext(ctx)
	conds, err := s.eventConditions(db, &f.EventFilter)
	if err != nil {
		return nil, err
	}
	var rows []statsRow
	var totals []statsTotal
	if from, to, ok := s.rollupStatsFit(conds, f); ok {
		rows, totals, err = s.rollupStats(db, conds, f, from, to)
	} else {
		rows, totals, err = s.scanStats(db, conds, f)
	}
	if err != nil {
		return nil, dbError(err, "stats")
	}
	out := &Stats{Interval: f.Interval, GroupBy: f.GroupBy, Buckets: []Bucket{}}
	byStart := map[string]*Bucket{}
	// The range is known by presence, never by a zero value: the first day of year 0001
	// is Go's zero time and a bucket like any other.
	var first, last time.Time
	haveFirst, haveLast := false, false
	for _, t := range totals {
		start, err := time.Parse("2006-01-02", t.Bucket)
		if err != nil {
			return nil, dbError(fmt.Errorf("bucket %q: %w", t.Bucket, err), "stats")
		}
		if !haveFirst || start.Before(first) {
			first, haveFirst = start, true
		}
		if !haveLast || start.After(last) {
			last, haveLast = start, true
		}
		b := &Bucket{Count: t.N}
		byStart[t.Bucket] = b
		out.Total += t.N
	}
	seenGroup := map[string]bool{}
	for _, r := range rows {
		b := byStart[r.Bucket]
		if b == nil {
			continue // only if the counts disagree, which exact roll-ups never do
		}
		if b.Groups == nil {
			b.Groups = map[string]int64{}
		}
		b.Groups[r.Grp] = r.N
		if !seenGroup[r.Grp] {
			seenGroup[r.Grp] = true
			out.Groups = append(out.Groups, r.Grp)
		}
	}
	slices.Sort(out.Groups)
	if f.From != nil {
		first, haveFirst = statsFirst(f), true
	}
	if f.To != nil {
		last, haveLast = statsLast(f), true
	}
	if !haveFirst || !haveLast {
		return out, nil // no events and no range given in full: nothing to lay out
	}
	if err := checkBuckets(first, last, f.Interval); err != nil {
		return nil, err
	}
	for t := first; !t.After(last); t = next(t, f.Interval) {
		key := t.Format("2006-01-02")
		b := Bucket{Key: bucketKey(t, f.Interval), Start: key, End: next(t, f.Interval).Format("2006-01-02")}
		if got := byStart[key]; got != nil {
			b.Count, b.Groups = got.Count, got.Groups
		}
		out.Buckets = append(out.Buckets, b)
	}
	if f.GroupBy == "actor" && len(out.Groups) > 0 {
		var names []struct{ Slug, Name string }
		if err := db.Table("actors").Select("slug, name").Where("slug IN ?", out.Groups).Scan(&names).Error; err != nil {
			return nil, dbError(err, "stats")
		}
		out.Labels = map[string]string{}
		for _, n := range names {
			out.Labels[n.Slug] = n.Name
		}
	}
	return out, nil
}

// statsRow is one group's count in one bucket (its first day, YYYY-MM-DD).
type statsRow struct {
	Bucket string
	Grp    string
	N      int64
}

// statsTotal is one bucket's count of events.
type statsTotal struct {
	Bucket string
	N      int64
}

// scanStats counts the events the conditions select, per bucket (and group), from the
// events themselves.
func (s *Store) scanStats(db *gorm.DB, conds *eventConds, f StatsFilter) ([]statsRow, []statsTotal, error) {
	// From the events, or, for one actor, from the actor's participation rows, which
	// carry their event's dates: an index range scan of one actor instead of a semi-join
	// over every event. An actor's rows may repeat an event (one per role): they are
	// counted as distinct events, not deduplicated row by row, which cost an anti-join
	// of the actor's rows with themselves.
	where := conds.where
	from := func() *gorm.DB { return db.Table("events") }
	bucket, label := bucketExpr(s.dialect, f.Interval, "events.date_start")
	eventID, total := "events.id", "COUNT(*)"
	// For one actor only: with match=all, checking the other actors on each of the
	// walked rows costs more, for a whole histogram, than the grouped sub-query.
	// Represented events are not on the actor's own rows.
	if len(conds.actors) == 1 && f.Q == "" && !f.Represented {
		where = func(q *gorm.DB) *gorm.DB { return conds.actorRows(q, false) }
		from = func() *gorm.DB {
			// LEFT JOIN: when no condition names the event's own columns, the planner
			// drops the join and reads the participation index alone.
			return db.Table("event_participants k").Joins("LEFT JOIN events ON events.id = k.event_id").
				Where("k.actor_id = ?", conds.driver)
		}
		bucket, label = bucketExpr(s.dialect, f.Interval, "k.event_start")
		eventID, total = "k.event_id", "COUNT(DISTINCT k.event_id)"
	}
	q := where(from())
	group, count := "", total
	switch f.GroupBy {
	case "type":
		group = "events.type"
	case "actor":
		q = q.Joins("JOIN event_participants gp ON gp.event_id = " + eventID).Joins("JOIN actors ga ON ga.id = gp.actor_id")
		group, count = "ga.slug", "COUNT(DISTINCT "+eventID+")"
	case "country":
		q = q.Joins("JOIN event_participants gp ON gp.event_id = " + eventID).
			Joins("JOIN actors ga ON ga.id = gp.actor_id AND ga.country <> ''")
		group, count = "ga.country", "COUNT(DISTINCT "+eventID+")"
	}
	var rows []statsRow
	if f.GroupBy != "" {
		err := q.Select(label + " AS bucket, " + group + " AS grp, " + count + " AS n").
			Group(bucket + ", " + group).Order("bucket, grp").Scan(&rows).Error
		if err != nil {
			return nil, nil, err
		}
	}
	// Totals per bucket count each event once, whatever the grouping.
	var totals []statsTotal
	err := where(from()).Select(label + " AS bucket, " + total + " AS n").Group(bucket).Scan(&totals).Error
	return rows, totals, err
}

// statsFirst is the first interval of a histogram whose from is given.
func statsFirst(f StatsFilter) time.Time { return truncate(f.From.Start, f.Interval) }

// statsLast is the last interval of a histogram whose to is given: the one holding the
// last instant to covers.
func statsLast(f StatsFilter) time.Time { return truncate(f.To.End.Add(-time.Nanosecond), f.Interval) }

// checkBuckets refuses a histogram of more than MaxBuckets intervals from first to last
// (both interval starts), naming the interval and the cap.
func checkBuckets(first, last time.Time, interval string) error {
	n := bucketCount(first, last, interval)
	if n <= MaxBuckets {
		return nil
	}
	return &models.Error{Code: models.EINVALID, Message: "invalid request parameters",
		Fields: []models.FieldError{{Field: "interval", Message: fmt.Sprintf(
			"%s gives %d buckets over this range, more than the cap of %d; choose a coarser interval or a shorter range",
			interval, n, MaxBuckets)}}}
}

// bucketCount is the number of intervals from first to last inclusive (both interval
// starts, as truncate gives them); 0 when last is before first.
func bucketCount(first, last time.Time, interval string) int64 {
	if last.Before(first) {
		return 0
	}
	// Whole days from Unix seconds: time.Duration (and so Sub) saturates at 292 years.
	days := (last.Unix() - first.Unix()) / 86400
	switch interval {
	case "week":
		return days/7 + 1
	case "month":
		return int64(last.Year()-first.Year())*12 + int64(last.Month()-first.Month()) + 1
	case "year":
		return int64(last.Year()-first.Year()) + 1
	}
	return days + 1
}

// bucketExpr is the SQL of the interval holding a start time in column (an event's
// date_start, or its participation row's copy): group, to group rows by, and label, its
// first day (YYYY-MM-DD, UTC), a function of group computed once per bucket on
// PostgreSQL (to_char on every row took as long as the scan).
func bucketExpr(d Dialect, interval, column string) (group, label string) {
	if d == Postgres {
		unit := map[string]string{"day": "day", "week": "week", "month": "month", "year": "year"}[interval]
		group = "date_trunc('" + unit + "', " + column + " AT TIME ZONE 'UTC')"
		return group, "to_char(" + group + ", 'YYYY-MM-DD')"
	}
	switch interval {
	case "week":
		group = "date(" + column + ", 'weekday 0', '-6 days')"
	case "month":
		group = "strftime('%Y-%m-01', " + column + ")"
	case "year":
		group = "strftime('%Y-01-01', " + column + ")"
	default:
		group = "date(" + column + ")"
	}
	return group, group
}

// truncate gives the first day of the interval holding t, as bucketExpr does in SQL.
func truncate(t time.Time, interval string) time.Time {
	t = t.UTC()
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	switch interval {
	case "week":
		return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	case "month":
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	case "year":
		return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return day
}

func next(t time.Time, interval string) time.Time {
	switch interval {
	case "week":
		return t.AddDate(0, 0, 7)
	case "month":
		return t.AddDate(0, 1, 0)
	case "year":
		return t.AddDate(1, 0, 0)
	}
	return t.AddDate(0, 0, 1)
}

// bucketKey labels a bucket: 2026-01-23, 2026-W04 (ISO week), 2026-01, 2026.
func bucketKey(t time.Time, interval string) string {
	switch interval {
	case "week":
		y, w := t.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	case "month":
		return t.Format("2006-01")
	case "year":
		return t.Format("2006")
	}
	return t.Format("2006-01-02")
}
