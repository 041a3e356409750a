package formats

import "github.com/parley-api/parley/models"

// ExportClaimColumns are the columns of the claims export (format=claims): the long
// table of evidence, one row per claim that a source supports of an exported event or of
// a statement about it, so that a researcher can weigh each fact by who says it.
// Sources cited without evidence give no row. Text cells get the formula guard of the
// csv export (see NewExporter).
//
//   - entity_type: event or statement.
//   - entity_id, entity_slug: the entity (a statement has no slug).
//   - source_id: the source that supports the claim.
//   - source_title, credit: the source's title and how it is credited ("NBC News, via
//     Meduza", see models.Credit), when the source is among the event's sources.
//   - claim: what it supports: for events one of models.EventClaims, for statements one
//     of models.StatementClaims.
//   - quote: the span of the source that supports it, verbatim, line breaks kept.
var ExportClaimColumns = []string{
	"entity_type", "entity_id", "entity_slug", "source_id", "source_title", "credit", "claim", "quote",
}

func newClaims(string) eventEncoder {
	return &exportCSV{columns: ExportClaimColumns, rows: exportClaimRows}
}

// exportClaimRows emits the claims of e, then those of each statement embedded in it.
func exportClaimRows(e *models.Event, row []string, emit func([]string) error) error {
	sources := make(map[models.ID]*models.Source, len(e.SourcesData))
	for i := range e.SourcesData {
		sources[e.SourcesData[i].ID] = &e.SourcesData[i]
	}
	claims := func(kind string, id models.ID, slug string, evidence []models.Evidence) error {
		for _, ev := range evidence {
			if ev.Source == nil {
				continue
			}
			var title, credit string
			if s := sources[ev.Source.ID]; s != nil && ev.Source.Resolved() {
				title, credit = s.Title, models.Credit(s)
			}
			for _, c := range ev.Supports {
				vals := [...]string{kind, exportID(id), slug, ev.Source.String(), title, credit, c, ev.Quote}
				copy(row, vals[:])
				if err := emit(row); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := claims(models.KindEvent.Name, e.ID, e.Slug, e.Evidence); err != nil {
		return err
	}
	for i := range e.StatementsData {
		st := &e.StatementsData[i]
		if err := claims(models.KindStatement.Name, st.ID, "", st.Evidence); err != nil {
			return err
		}
	}
	return nil
}

// sourceCredits are the credits of the sources that were found, in order.
func sourceCredits(sources []models.Source) []string {
	var out []string
	for i := range sources {
		if c := models.Credit(&sources[i]); c != "" {
			out = append(out, c)
		}
	}
	return out
}
