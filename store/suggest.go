package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/agnivade/levenshtein"
	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

// A reference to an actor, location or source that does not exist ("vladimir-puttin",
// "putn") is answered with the slugs the client may have meant, found in two bounded
// reads of the kind's name keys (store/names.go):
//
//  1. candidates: for the whole reference, folded into words, and for each of its first
//     suggestProbes words, the suggestNeighbours keys on either side of it in the
//     index's bytewise order: at most 2 × suggestNeighbours × (suggestProbes + 1) keys,
//     each an index range read with a LIMIT. A typo after the first letters of a word
//     keeps its neighbours; a typo in the first letters of one word still leaves the
//     others.
//  2. the whole names (name, slug, aliases) of those candidates, at most
//     suggestNameRows of them, and their slugs.
//
// Then, in Go, each candidate's distance is the smallest Levenshtein distance between the
// reference and a tail of one of its whole names ("putn" is 1 from "putin", a tail of
// "vladimir putin"); those within suggestDistance of the reference are suggested, the
// closest first, ties by slug, at most maxSuggestions.

// Bounds of a suggestion.
const (
	maxSuggestions     = 3
	suggestNeighbours  = 10
	suggestProbes      = 4
	suggestNameRows    = 2000
	suggestRefsPerList = 3 // references of one filter given suggestions; the others only their error
)

// suggester is what the name index of a kind offers references that miss.
type suggester interface {
	suggest(db *gorm.DB, ref string) ([]string, error)
}

// suggesters holds each named kind's name index, registered by named.
var suggesters = map[*models.Kind]suggester{}

// named registers ix as its kind's name index and returns it.
func named[T any, P interface {
	*T
	models.Entity
}](ix *nameIndex[T, P]) *nameIndex[T, P] {
	suggesters[ix.kind] = ix
	return ix
}

// suggestDistance is how far a name may be from a reference of n characters to be
// suggested: a quarter of it, at least 1 and at most 3.
func suggestDistance(n int) int { return max(1, min(3, n/4)) }

// suggest returns the slugs closest to ref (see above); none for an id.
func (ix *nameIndex[T, P]) suggest(db *gorm.DB, ref string) ([]string, error) {
	if _, err := models.ParseID(ref); err == nil {
		return nil, nil
	}
	words := nameWords(ref)
	whole := strings.Join(words, " ")
	if len(words) == 0 || utf8.RuneCountInString(whole) > MaxNameQueryLen {
		return nil, nil
	}
	probes := []string{whole}
	for _, w := range words[:min(len(words), suggestProbes)] {
		if !slices.Contains(probes, w) {
			probes = append(probes, w)
		}
	}
	col, table := ix.keyColumn(), ix.table()
	var parts []string
	var args []any
	for i, p := range probes {
		parts = append(parts,
			fmt.Sprintf("SELECT %[1]s AS id FROM (SELECT %[1]s FROM %[2]s WHERE term >= ? ORDER BY term LIMIT %[3]d) a%[4]d", col, table, suggestNeighbours, i),
			fmt.Sprintf("SELECT %[1]s AS id FROM (SELECT %[1]s FROM %[2]s WHERE term < ? ORDER BY term DESC LIMIT %[3]d) b%[4]d", col, table, suggestNeighbours, i))
		args = append(args, p, p)
	}
	var ids []struct{ ID models.ID }
	if err := db.Raw(strings.Join(parts, " UNION "), args...).Scan(&ids).Error; err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, nil
	}
	idList := make([]models.ID, len(ids))
	for i, r := range ids {
		idList[i] = r.ID
	}
	var names []struct{ Slug, Term string }
	err := db.Table(table+" n").Select("e.slug AS slug, n.term AS term").
		Joins("JOIN "+ix.kind.Table+" e ON e.id = n."+col).
		Where("n."+col+" IN ? AND n.field <= ?", idList, keyOther).
		Order("n." + col + ", n.term").Limit(suggestNameRows).Scan(&names).Error
	if err != nil {
		return nil, err
	}
	limit := suggestDistance(utf8.RuneCountInString(whole))
	best := map[string]int{}
	for _, n := range names {
		d := nameDistance(whole, n.Term)
		if d > limit {
			continue
		}
		if b, ok := best[n.Slug]; !ok || d < b {
			best[n.Slug] = d
		}
	}
	out := make([]string, 0, len(best))
	for slug := range best {
		out = append(out, slug)
	}
	slices.SortFunc(out, func(a, b string) int {
		if best[a] != best[b] {
			return best[a] - best[b]
		}
		return strings.Compare(a, b)
	})
	return out[:min(len(out), maxSuggestions)], nil
}

// nameDistance is the smallest Levenshtein distance between ref and a tail of name (the
// name from one of its words on), both folded words joined by spaces.
func nameDistance(ref, name string) int {
	d := levenshtein.ComputeDistance(ref, name)
	for i := strings.IndexByte(name, ' '); i >= 0 && d > 0; {
		name = name[i+1:]
		d = min(d, levenshtein.ComputeDistance(ref, name))
		i = strings.IndexByte(name, ' ')
	}
	return d
}

// suggestionsFor returns the slugs of kind k closest to ref, none for a kind without
// names or when the look-up fails (the error it would add to stands on its own).
func suggestionsFor(db *gorm.DB, k *models.Kind, ref string) []string {
	sg := suggesters[k]
	if sg == nil {
		return nil
	}
	out, err := sg.suggest(db, ref)
	if err != nil {
		return nil
	}
	return out
}

// didYouMean is the end of an error message naming suggestions, "" without any.
func didYouMean(suggestions []string) string {
	if len(suggestions) == 0 {
		return ""
	}
	q := make([]string, len(suggestions))
	for i, s := range suggestions {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "; did you mean " + strings.Join(q, " or ") + "?"
}

// notFoundSuggesting adds to err, when it is the 404 of an entity of kind k addressed by
// ref in the path, the slugs the client may have meant, as a field error of the path
// parameter id; any other error is returned as it is.
func notFoundSuggesting(db *gorm.DB, k *models.Kind, ref string, err error) error {
	var e *models.Error
	if !errors.As(err, &e) || e.Code != models.ENOTFOUND {
		return err
	}
	sg := suggestionsFor(db, k, ref)
	if len(sg) == 0 {
		return err
	}
	out := *e
	out.Fields = append(slices.Clone(e.Fields), models.FieldError{Field: "id",
		Message: fmt.Sprintf("no %s with id or slug %q%s", k.Name, ref, didYouMean(sg)), Suggestions: sg})
	return &out
}
