package models

import (
	"fmt"
	"slices"
)

// Evidence says which claims of an event or a statement one of its cited sources
// supports, with the span of the source that supports them, verbatim. A source cited
// without evidence is cited for the whole; evidence narrows it to what it really says,
// so that ?source=nbc&supports=date finds only what NBC dated.
type Evidence struct {
	Source   *Ref     `json:"source_id"`
	Supports []string `json:"supports"`
	Quote    string   `json:"quote,omitempty"`
}

// The claims evidence may support, per kind of entity: the members (or groups of
// members) a source may be the evidence of.
var (
	EventClaims     = []string{"date", "status", "location", "participants", "type", "summary", "relations"}
	StatementClaims = []string{"text", "speaker", "attribution", "date", "event", "medium"}
)

// MaxEvidence caps the evidence items of one event or statement.
const MaxEvidence = 50

// AllClaims lists every claim name of any kind, without repeats: what ?supports= takes.
func AllClaims() []string {
	out := slices.Clone(EventClaims)
	for _, c := range StatementClaims {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// checkEvidence checks the shape of evidence against the claims allowed (sources are
// checked once resolved, by the store, against source_ids).
func checkEvidence(v *Validation, evidence []Evidence, claims []string) {
	if len(evidence) > MaxEvidence {
		v.Add("evidence", "must have at most %d items", MaxEvidence)
		return
	}
	for i, ev := range evidence {
		f := fmt.Sprintf("evidence[%d]", i)
		checkRef(v, f+".source_id", ev.Source, true)
		if len(ev.Supports) == 0 {
			v.Add(f+".supports", "is required: at least one of %v", claims)
		}
		seen := map[string]bool{}
		for j, c := range ev.Supports {
			g := fmt.Sprintf("%s.supports[%d]", f, j)
			switch {
			case !slices.Contains(claims, c):
				v.Add(g, "must be one of %v", claims)
			case seen[c]:
				v.Add(g, "duplicate claim %q", c)
			}
			seen[c] = true
		}
		checkText(v, f+".quote", ev.Quote, false, MaxTextLen)
	}
}

// NormalizeEvidence puts evidence in its stored form: each item's claims in the order
// of claims (they are a set), and no list for none, so that a write and what it reads
// back compare equal.
func NormalizeEvidence(evidence []Evidence, claims []string) []Evidence {
	if len(evidence) == 0 {
		return nil
	}
	for i := range evidence {
		s := evidence[i].Supports
		slices.SortStableFunc(s, func(a, b string) int { return slices.Index(claims, a) - slices.Index(claims, b) })
	}
	return evidence
}

// EventEvidence is one claim of one evidence item of an event (position orders the
// items; the quote repeats on each claim of an item).
type EventEvidence struct {
	EventID  ID     `gorm:"primaryKey"`
	Position int    `gorm:"primaryKey"`
	Claim    string `gorm:"primaryKey"`
	SourceID ID     `gorm:"not null"`
	Quote    string `gorm:"not null"`
}

// TableName is the event evidence table.
func (EventEvidence) TableName() string { return "event_evidence" }

// StatementEvidence is one claim of one evidence item of a statement.
type StatementEvidence struct {
	StatementID ID     `gorm:"primaryKey"`
	Position    int    `gorm:"primaryKey"`
	Claim       string `gorm:"primaryKey"`
	SourceID    ID     `gorm:"not null"`
	Quote       string `gorm:"not null"`
}

// TableName is the statement evidence table.
func (StatementEvidence) TableName() string { return "statement_evidence" }
