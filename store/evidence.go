package store

import (
	"fmt"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

// Evidence (models.Evidence) is kept one row per claim of an item: (owner, position,
// claim, source, quote), so that ?supports= is one EXISTS on an index whatever the
// number of claims, and an item's claims come back together by position.

// resolveEvidence resolves the sources of evidence and refuses one that the entity does
// not cite: evidence narrows a citation, it does not add one. sources are the entity's
// source_ids, resolved before.
func resolveEvidence(r *resolver, evidence []models.Evidence, sources []*models.Ref) error {
	for i := range evidence {
		if err := r.ref(models.KindSource, fmt.Sprintf("evidence[%d].source_id", i), evidence[i].Source); err != nil {
			return err
		}
	}
	if r.mode != resolveLookup {
		return nil
	}
	cited := map[models.ID]bool{}
	for _, s := range sources {
		if s != nil && s.Resolved() {
			cited[s.ID] = true
		}
	}
	for i, ev := range evidence {
		if ev.Source != nil && ev.Source.Resolved() && !cited[ev.Source.ID] {
			r.v.Add(fmt.Sprintf("evidence[%d].source_id", i), "source %q is not among source_ids: cite it there first", ev.Source.String())
		}
	}
	return nil
}

// evidenceRefs lists the source references of evidence.
func evidenceRefs(evidence []models.Evidence) []*models.Ref {
	out := make([]*models.Ref, len(evidence))
	for i := range evidence {
		out[i] = evidence[i].Source
	}
	return out
}

// evidenceRow is one stored claim, whichever the owner's kind.
type evidenceRow struct {
	Owner    models.ID `gorm:"column:owner"`
	Position int       `gorm:"column:position"`
	Claim    string    `gorm:"column:claim"`
	SourceID models.ID `gorm:"column:source_id"`
	Quote    string    `gorm:"column:quote"`
}

// evidenceRows flattens the evidence of one owner into rows, calling add for each.
func evidenceRows(evidence []models.Evidence, add func(pos int, claim string, src models.ID, quote string)) {
	for i, ev := range evidence {
		for _, c := range ev.Supports {
			add(i, c, ev.Source.ID, ev.Quote)
		}
	}
}

// loadEvidence reads the evidence of owners from table (keyed by key) and hands each
// owner's items, in position order, to set. One query for any number of owners.
func loadEvidence(tx *gorm.DB, table, key string, ids []models.ID, claims []string, set func(models.ID, []models.Evidence)) error {
	if len(ids) == 0 {
		return nil
	}
	var rows []evidenceRow
	err := tx.Table(table).Select(key+" AS owner, position, claim, source_id, quote").
		Where(key+" IN ?", ids).Order(key + ", position").Scan(&rows).Error
	if err != nil {
		return err
	}
	byOwner := map[models.ID][]models.Evidence{}
	last := map[models.ID]int{}
	for _, r := range rows {
		items := byOwner[r.Owner]
		if n := len(items); n > 0 && last[r.Owner] == r.Position {
			items[n-1].Supports = append(items[n-1].Supports, r.Claim)
		} else {
			items = append(items, models.Evidence{Source: models.RefTo(r.SourceID), Supports: []string{r.Claim}, Quote: r.Quote})
		}
		byOwner[r.Owner], last[r.Owner] = items, r.Position
	}
	for id, items := range byOwner {
		set(id, models.NormalizeEvidence(items, claims))
	}
	return nil
}

// loadEventEvidence fills the evidence of events.
func loadEventEvidence(tx *gorm.DB, es []*models.Event) error {
	ids := make([]models.ID, len(es))
	byID := make(map[models.ID]*models.Event, len(es))
	for i, e := range es {
		ids[i], byID[e.ID] = e.ID, e
		e.Evidence = nil
	}
	return loadEvidence(tx, "event_evidence", "event_id", ids, models.EventClaims, func(id models.ID, ev []models.Evidence) {
		byID[id].Evidence = ev
	})
}

// loadStatementEvidence fills the evidence of statements.
func loadStatementEvidence(tx *gorm.DB, sts []*models.Statement) error {
	ids := make([]models.ID, len(sts))
	byID := make(map[models.ID]*models.Statement, len(sts))
	for i, st := range sts {
		ids[i], byID[st.ID] = st.ID, st
		st.Evidence = nil
	}
	return loadEvidence(tx, "statement_evidence", "statement_id", ids, models.StatementClaims, func(id models.ID, ev []models.Evidence) {
		byID[id].Evidence = ev
	})
}

// eventEvidenceRows are the evidence rows of events, for insertAll.
func eventEvidenceRows(es []*models.Event) []models.EventEvidence {
	var out []models.EventEvidence
	for _, e := range es {
		evidenceRows(e.Evidence, func(pos int, claim string, src models.ID, quote string) {
			out = append(out, models.EventEvidence{EventID: e.ID, Position: pos, Claim: claim, SourceID: src, Quote: quote})
		})
	}
	return out
}

// statementEvidenceRows are the evidence rows of statements, for insertAll.
func statementEvidenceRows(sts []*models.Statement) []models.StatementEvidence {
	var out []models.StatementEvidence
	for _, st := range sts {
		evidenceRows(st.Evidence, func(pos int, claim string, src models.ID, quote string) {
			out = append(out, models.StatementEvidence{StatementID: st.ID, Position: pos, Claim: claim, SourceID: src, Quote: quote})
		})
	}
	return out
}

// supportsCondition is the one SQL shape of ?supports=: the owner (alias.id of table
// owner) has evidence from one of sources (any source when none) for one of claims.
func supportsCondition(evTable, key, owner string, sources []models.ID, claims []string) (string, []any) {
	cond := "EXISTS (SELECT 1 FROM " + evTable + " ev WHERE ev." + key + " = " + owner + ".id AND ev.claim IN ?"
	args := []any{claims}
	if len(sources) > 0 {
		cond += " AND ev.source_id IN ?"
		args = append(args, sources)
	}
	return cond + ")", args
}
