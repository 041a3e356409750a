package store

import (
	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

// MeasureFilter narrows events by GDELT's numbers (models.EventMeasures). A bound
// matches only events that have the measure: min_goldstein=-10 leaves out every event
// without a Goldstein score, so asking for a measure means asking for GDELT events.
type MeasureFilter struct {
	MinGoldstein, MaxGoldstein *float64
	// QuadClasses are alternatives, 1 to 4, at most MaxFilterValues.
	QuadClasses             []int
	MinTone, MaxTone        *float64
	MinMentions             *int
	MinSources, MinArticles *int
}

// none reports whether no measure is asked for.
func (m *MeasureFilter) none() bool {
	return m.MinGoldstein == nil && m.MaxGoldstein == nil && len(m.QuadClasses) == 0 && m.MinTone == nil &&
		m.MaxTone == nil && m.MinMentions == nil && m.MinSources == nil && m.MinArticles == nil
}

// check refuses values outside the measures' ranges, naming the query parameter.
func (m *MeasureFilter) check() error {
	v := models.NewValidation(models.EINVALID)
	bound := func(name string, x *float64, limit float64) {
		if x != nil && !(*x >= -limit && *x <= limit) { // NaN fails both
			v.Add(name, "must be a number between %g and %g", -limit, limit)
		}
	}
	bound("min_goldstein", m.MinGoldstein, models.MaxGoldstein)
	bound("max_goldstein", m.MaxGoldstein, models.MaxGoldstein)
	bound("min_tone", m.MinTone, models.MaxAvgTone)
	bound("max_tone", m.MaxTone, models.MaxAvgTone)
	if m.MinGoldstein != nil && m.MaxGoldstein != nil && *m.MinGoldstein > *m.MaxGoldstein {
		v.Add("max_goldstein", "must not be below min_goldstein")
	}
	if m.MinTone != nil && m.MaxTone != nil && *m.MinTone > *m.MaxTone {
		v.Add("max_tone", "must not be below min_tone")
	}
	if len(m.QuadClasses) > MaxFilterValues {
		v.Add("quad_class", "has %d values; at most %d are accepted", len(m.QuadClasses), MaxFilterValues)
	}
	for _, q := range m.QuadClasses {
		if q < 1 || q > models.MaxQuadClass {
			v.Add("quad_class", "must be 1, 2, 3 or 4")
			break
		}
	}
	for name, n := range map[string]*int{"min_mentions": m.MinMentions, "min_sources": m.MinSources, "min_articles": m.MinArticles} {
		if n != nil && (*n < 0 || *n > models.MaxMeasureCount) {
			v.Add(name, "must be an integer between 0 and %d", models.MaxMeasureCount)
		}
	}
	return v.Err()
}

// apply adds one condition per measure asked for, each of one fixed shape.
func (m *MeasureFilter) apply(q *gorm.DB) *gorm.DB {
	if m.MinGoldstein != nil {
		q = q.Where("events.gdelt_goldstein >= ?", *m.MinGoldstein)
	}
	if m.MaxGoldstein != nil {
		q = q.Where("events.gdelt_goldstein <= ?", *m.MaxGoldstein)
	}
	if len(m.QuadClasses) > 0 {
		q = q.Where("events.gdelt_quad_class IN ?", uniq(m.QuadClasses))
	}
	if m.MinTone != nil {
		q = q.Where("events.gdelt_avg_tone >= ?", *m.MinTone)
	}
	if m.MaxTone != nil {
		q = q.Where("events.gdelt_avg_tone <= ?", *m.MaxTone)
	}
	if m.MinMentions != nil {
		q = q.Where("events.gdelt_num_mentions >= ?", *m.MinMentions)
	}
	if m.MinSources != nil {
		q = q.Where("events.gdelt_num_sources >= ?", *m.MinSources)
	}
	if m.MinArticles != nil {
		q = q.Where("events.gdelt_num_articles >= ?", *m.MinArticles)
	}
	return q
}
