package handlers

import (
	"math"
	"strconv"

	"github.com/parley-api/parley/store"
)

// measureFilterNames are the /events query parameters on GDELT's numbers.
var measureFilterNames = []string{"min_goldstein", "max_goldstein", "quad_class", "min_tone", "max_tone",
	"min_mentions", "min_sources", "min_articles"}

// measureFilter reads the GDELT measure filters; the store checks their ranges.
func measureFilter(q *query) store.MeasureFilter {
	m := store.MeasureFilter{
		MinGoldstein: q.float("min_goldstein"), MaxGoldstein: q.float("max_goldstein"),
		MinTone: q.float("min_tone"), MaxTone: q.float("max_tone"),
		MinMentions: q.count("min_mentions"), MinSources: q.count("min_sources"), MinArticles: q.count("min_articles"),
	}
	for _, s := range q.strings("quad_class") {
		n, err := strconv.Atoi(s)
		if err != nil {
			q.v.Add("quad_class", "must be 1, 2, 3 or 4")
			continue
		}
		m.QuadClasses = append(m.QuadClasses, n)
	}
	return m
}

// float reads a finite decimal number; nil when absent.
func (q *query) float(name string) *float64 {
	s := q.one(name)
	if s == "" {
		return nil
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		q.v.Add(name, "must be a number, e.g. -2.5")
		return nil
	}
	return &x
}

// count reads a whole number; nil when absent.
func (q *query) count(name string) *int {
	s := q.one(name)
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		q.v.Add(name, "must be an integer")
		return nil
	}
	return &n
}

// measurePart is one measure filter as a query parameter and its value.
type measurePart struct{ key, value string }

// measureParts lists the measure filters of m in a fixed order, for file names.
func measureParts(m store.MeasureFilter) []measurePart {
	var out []measurePart
	num := func(key string, x *float64) {
		if x != nil {
			out = append(out, measurePart{key, strconv.FormatFloat(*x, 'f', -1, 64)})
		}
	}
	count := func(key string, n *int) {
		if n != nil {
			out = append(out, measurePart{key, strconv.Itoa(*n)})
		}
	}
	num("min_goldstein", m.MinGoldstein)
	num("max_goldstein", m.MaxGoldstein)
	for _, c := range m.QuadClasses {
		out = append(out, measurePart{"quad_class", strconv.Itoa(c)})
	}
	num("min_tone", m.MinTone)
	num("max_tone", m.MaxTone)
	count("min_mentions", m.MinMentions)
	count("min_sources", m.MinSources)
	count("min_articles", m.MinArticles)
	return out
}
