package models

import "math"

// Source date bases: what a source's published date says. A GDELT row does not give
// the article's publication date, only the day GDELT added it (DATEADDED); labelling
// that day as a publication date would claim more than the data knows.
const (
	// DateBasisPublished (or empty): the date the source was published.
	DateBasisPublished = "published"
	// DateBasisGDELTAdded: the day GDELT added the article to its event file
	// (DATEADDED); the article is at most that old.
	DateBasisGDELTAdded = "gdelt_dateadded"
	// DateBasisRetrieved: the day the source was retrieved.
	DateBasisRetrieved = "retrieved"
)

// DateBases lists the accepted values of Source.DateBasis besides "".
var DateBases = []string{DateBasisPublished, DateBasisGDELTAdded, DateBasisRetrieved}

// checkDateBasis checks a source's date_basis against the allow-list.
func checkDateBasis(v *Validation, basis string) {
	switch basis {
	case "", DateBasisPublished, DateBasisGDELTAdded, DateBasisRetrieved:
	default:
		v.Add("date_basis", "must be one of %v (empty means published)", DateBases)
	}
}

// EventMeasures are the numbers GDELT gives each event, which researchers weight and
// filter by: the Goldstein scale of its CAMEO code (-10 conflict to +10 cooperation),
// its QuadClass (1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4
// material conflict), the average tone of the articles that mention it (-100 to +100),
// and how many mentions, sources and articles it had in the file it came from. Every
// member is optional: an event not from GDELT has none, and the member is then omitted.
type EventMeasures struct {
	Goldstein   *float64 `json:"goldstein,omitempty" gorm:"column:goldstein;type:double precision"`
	QuadClass   *int     `json:"quad_class,omitempty" gorm:"column:quad_class;type:integer"`
	AvgTone     *float64 `json:"avg_tone,omitempty" gorm:"column:avg_tone;type:double precision"`
	NumMentions *int     `json:"num_mentions,omitempty" gorm:"column:num_mentions;type:integer"`
	NumSources  *int     `json:"num_sources,omitempty" gorm:"column:num_sources;type:integer"`
	NumArticles *int     `json:"num_articles,omitempty" gorm:"column:num_articles;type:integer"`
}

// Measure bounds, from the GDELT event codebook.
const (
	MaxGoldstein = 10.0
	MaxQuadClass = 4
	MaxAvgTone   = 100.0
	// MaxMeasureCount bounds the counts (a 32-bit column).
	MaxMeasureCount = math.MaxInt32
)

// IsZero reports whether no measure is known, so that json's omitzero leaves the member
// out.
func (m EventMeasures) IsZero() bool {
	return m.Goldstein == nil && m.QuadClass == nil && m.AvgTone == nil && m.NumMentions == nil &&
		m.NumSources == nil && m.NumArticles == nil
}

// check validates the measures that are given.
func (m EventMeasures) check(v *Validation, field string) {
	if m.Goldstein != nil && (math.IsNaN(*m.Goldstein) || math.Abs(*m.Goldstein) > MaxGoldstein) {
		v.Add(field+".goldstein", "must be between -10 and 10")
	}
	if m.QuadClass != nil && (*m.QuadClass < 1 || *m.QuadClass > MaxQuadClass) {
		v.Add(field+".quad_class", "must be 1, 2, 3 or 4")
	}
	if m.AvgTone != nil && (math.IsNaN(*m.AvgTone) || math.Abs(*m.AvgTone) > MaxAvgTone) {
		v.Add(field+".avg_tone", "must be between -100 and 100")
	}
	for name, n := range map[string]*int{"num_mentions": m.NumMentions, "num_sources": m.NumSources, "num_articles": m.NumArticles} {
		if n != nil && (*n < 0 || *n > MaxMeasureCount) {
			v.Add(field+"."+name, "must be between 0 and %d", MaxMeasureCount)
		}
	}
}
