package store

import (
	"fmt"

	"github.com/parley-api/parley/models"
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

// addEvidenceRow adds one stored claim to evidence: rows come in position order (an
// item's claims together), and positions run from 0 without gaps, so a row whose
// position is already there is one more claim of that item.
func addEvidenceRow(evidence *[]models.Evidence, src models.ID, claim string, pos int, quote string) {
	if pos < len(*evidence) {
		(*evidence)[pos].Supports = append((*evidence)[pos].Supports, claim)
		return
	}
	*evidence = append(*evidence, models.Evidence{Source: models.RefTo(src), Supports: []string{claim}, Quote: quote})
}

// evidenceRows flattens the evidence of one owner into rows, calling add for each.
func evidenceRows(evidence []models.Evidence, add func(pos int, claim string, src models.ID, quote string)) {
	for i, ev := range evidence {
		for _, c := range ev.Supports {
			add(i, c, ev.Source.ID, ev.Quote)
		}
	}
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
