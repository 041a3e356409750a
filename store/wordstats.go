package store

import (
	"sync"
	"time"

	"gorm.io/gorm"
)

// wordStats knows how common each of the most common words of events' search text is,
// from PostgreSQL's own statistics of the tsvector column (pg_stats), read at most once
// a minute. A full-text query whose estimated matches are many needs no probe: a walk of
// the date index meets a page of them at once.
type wordStats struct {
	mu   sync.Mutex
	at   time.Time
	freq map[string]float64
	rows float64
}

// wordStatsAge is how long the statistics are used before they are read again.
const wordStatsAge = time.Minute

// surelyMany reports whether q is estimated to match at least manyShare of the events,
// counting words as independent and a word not among the common ones as matching nothing. Phrases are never counted as many: their words may be
// common while they are adjacent nowhere. Any doubt (no statistics, an error) says no,
// and the probe decides.
func (w *wordStats) surelyMany(db *gorm.DB, q *searchQuery) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if time.Since(w.at) > wordStatsAge {
		w.load(db)
	}
	if w.rows == 0 {
		return false
	}
	// A word not among the common ones counts as matching nothing: it may be rare.
	p := func(word string) float64 { return w.freq[word] }
	est := 0.0
	for _, g := range q.groups {
		share := 1.0
		for _, term := range g.must {
			if len(term) > 1 {
				return false
			}
			share *= p(term[0])
		}
		for _, term := range g.not {
			if len(term) == 1 {
				share *= 1 - p(term[0])
			}
		}
		est += share
	}
	return est >= manyShare
}

// manyShare is the share of events a query must be estimated to match to skip the
// probe: at one event in fifty, a walk in date order meets a page of 50 within about
// 2,500 rows, whatever the size of the database.
const manyShare = 0.02

// load reads the statistics; on any error it keeps none, so that every query is probed.
func (w *wordStats) load(db *gorm.DB) {
	w.at, w.freq, w.rows = time.Now(), nil, 0
	var rows []struct {
		Word *string
		Freq float64
	}
	err := db.Raw(`SELECT unnest(most_common_elems::text::text[]) AS word, unnest(most_common_elem_freqs) AS freq
		FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'events' AND attname = 'search_vector'`).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return
	}
	var n float64
	if err := db.Raw(`SELECT reltuples FROM pg_class WHERE oid = 'events'::regclass`).Scan(&n).Error; err != nil || n <= 0 {
		return
	}
	freq := map[string]float64{}
	for _, r := range rows {
		if r.Word != nil {
			freq[*r.Word] = r.Freq
		}
	}
	w.freq, w.rows = freq, n
}
