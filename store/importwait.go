package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/parley-api/parley/models"
)

// maxWaiting caps the records that wait for a later line at once, and so the memory
// an import holds beyond its windows. A bundle parley exports never makes a record wait
// (it lists affiliations, parents and the actors positions and relations name first,
// event relations after every event).
const maxWaiting = 20 * importWindow

// recordTable is the table records of type kind are stored in, "" for a relation (a
// row of its events).
func recordTable(kind string) string {
	if k, ok := models.KindNamed(kind); ok {
		return k.Table
	}
	return ""
}

// waitTable is the table whose rows a record of type kind may name before their line:
// its own, for a kind whose entities name others of theirs (an actor's affiliation,
// positions and relations, an event's parent and relations), and the events a relation
// links.
func waitTable(kind string) string {
	if kind == models.RelationRecordType {
		return models.KindEvent.Table
	}
	if k, ok := models.KindNamed(kind); ok && (k.SelfRef != "" || len(k.ChildSelfRefs) > 0) {
		return k.Table
	}
	return ""
}

// waitRoom holds the records that wait for a later line.
//
// A record waits for keys (table, NUL, id or slug), each in one of the ways of
// waitKind, and for its turn after the last earlier line with its own id or slug that
// has waited. Each of these waits ends on one event (for a key: a line with it starts
// to wait, is in, or is done and no other line holds it; for a turn: the earlier line
// is done), which takes the whole list of waits it ends. A record is looked at again
// only once nothing it waited for is left. So each event costs what waited for it, and
// a record is looked at again only after what it named moved on: a chain of n waiting
// lines, or n lines with one id, cost the wait room work in proportion to n.
//
// A line that has waited holds its keys until it is done (in or refused), also while
// it is released and not looked at again yet: a record that names it then sets the
// relation aside, or waits for it to be done, as for any line that waits. Were released
// lines not to count, a record naming one would take it for one no line brought yet:
// an event would wait to learn that it comes, and its coming back would release the
// event in turn, round a cycle of relations for ever; and a record of another kind
// naming it would be refused.
type waitRoom struct {
	// n counts the items that wait or were released and are not looked at again yet.
	n int
	// waiters lists, by kind of wait and key, those that wait for it that way.
	waiters [waitKinds]map[string][]*waitState
	// turn lists, by item, those that wait for their turn after it.
	turn map[*item][]*waitState
	// holders lists, by key, the items that have waited with it as their own id or
	// slug, in line order; those done are dropped from the front.
	holders map[string][]*item
	// all lists every item that has waited, in the order they first did, for the end of
	// the import.
	all []*item
	// follow lists, by key of an event, the relations that follow it (see hold).
	follow map[string][]*followingRelation
	// final is set at the end of the input: no later line will come. force then
	// imports (or refuses) whatever still waits.
	final, force bool
}

// waitKind is how a record waits for a key, and so which event ends the wait.
type waitKind int

const (
	// waitLater: a record of its waitTable, which a later line may bring; ends when a
	// line with the key is in (or, at the end of the input, done with none left).
	waitLater waitKind = iota
	// waitComing: only to learn that a record with the key will come (an event's
	// relation); ends when a line with the key starts to wait or is in.
	waitComing
	// waitHeld: a record of another kind that waits; ends when a line with the key is
	// in or no line with it is left to wait.
	waitHeld
	// waitKinds counts the kinds.
	waitKinds
)

func newWaitRoom() waitRoom {
	wr := waitRoom{turn: map[*item][]*waitState{}, holders: map[string][]*item{}, follow: map[string][]*followingRelation{}}
	for k := range wr.waiters {
		wr.waiters[k] = map[string][]*waitState{}
	}
	return wr
}

// waitState is why one item waits.
type waitState struct {
	it *item
	// on are the keys it still waits for; after, the earlier lines with its own id or
	// slug it still waits its turn after.
	on    map[string]waitKind
	after []*item
	// hier is the key of its affiliation or parent, when it waits for that.
	hier string
	// released is set once nothing is left to wait for: it is about to be looked at
	// again.
	released bool
}

// waiting reports whether ws is the item's wait and still waits.
func (ws *waitState) waiting() bool { return ws.it.wait == ws && !ws.released }

// followingRelation is a relation an event line names before its event is in: the event
// goes in without it, and it follows once its target is in.
type followingRelation struct {
	from  *item
	index int
	rel   models.Relation
}

// ownKeys are the keys other records find rec's entity by.
func (im *importer) ownKeys(rec ImportRecord) []string {
	table := recordTable(rec.Kind)
	if table == "" {
		return nil
	}
	var out []string
	if m := metaOf(rec.Entity); m != nil && !m.ID.IsZero() {
		out = append(out, table+"\x00"+m.ID.String())
	}
	if slug := im.kind(rec.Kind).ownSlug(rec.Entity); slug != "" {
		out = append(out, table+"\x00"+slug)
	}
	return out
}

func emptyRef(r models.Ref) bool { return r.ID.IsZero() && r.Slug == "" }

// hold decides whether it must wait, and if so makes it wait. A record waits while:
//   - it names a record of its waitTable that is neither stored nor read yet (a later
//     line may bring it) or that waits itself;
//   - it names a record of another kind that waits;
//   - an earlier line with its own id or slug waits (so that the last line still wins).
//
// A record that also names something no later line can bring does not wait: it is
// refused now, as line by line. An event's relation to an event that waits does not
// make it wait: the relation is set aside to follow that event (see release), so that
// "A follows B" and "B precedes A" restore in either order. released are items that
// waited only to learn that it would come, and have nothing left to wait for.
func (im *importer) hold(ctx context.Context, it *item) (held bool, released []*item, err error) {
	wr := &im.wait
	if it.wait != nil {
		wr.leave(it) // released: looked at afresh
	}
	if it.derived || wr.force {
		return false, nil, nil
	}
	rec := it.rec
	im.kind(rec.Kind)
	if it.window != im.seq && it.fetched != im.seq {
		// Read in an earlier window: what it names is not in this one's cache.
		if err := im.prefetch(ctx, []ImportRecord{rec}); err != nil {
			return false, nil, dbError(err, "import")
		}
		it.fetched = im.seq
	}
	own := im.ownKeys(rec)
	known := func(k string) bool { return im.cache.has(k) || slices.Contains(own, k) }
	on := map[string]waitKind{}
	var follow []int
	doomed := false
	table := waitTable(rec.Kind)
	hard, relp := im.kind(rec.Kind).selfRefs(rec.Entity)
	var rels []models.Relation
	if relp != nil {
		rels = *relp
	}
	for _, ref := range hard {
		if emptyRef(ref) {
			continue
		}
		switch k := refKey(table, ref); {
		case known(k):
		case wr.isHeld(k) || !wr.final:
			on[k] = waitLater
		default:
			doomed = true
		}
	}
	for i, r := range rels {
		if emptyRef(r.Related) {
			continue
		}
		switch k := refKey(table, r.Related); {
		case known(k):
		case wr.isHeld(k):
			follow = append(follow, i)
		case !wr.final:
			if _, ok := on[k]; !ok {
				on[k] = waitComing
			}
		default:
			doomed = true
		}
	}
	var after []*item
	if wr.n > 0 || len(on) > 0 || len(follow) > 0 {
		for _, k := range own {
			if h := wr.heldBefore(k, rec.Line); h != nil && !slices.Contains(after, h) {
				after = append(after, h)
			}
		}
		// Every other reference: one to a waiting record waits for it, one to a
		// record that is nowhere dooms the line.
		if relp != nil {
			*relp = nil
		}
		im.kind(rec.Kind).refs(collectingResolver(im.tx, func(kind *models.Kind, ref models.Ref) {
			k := refKey(kind.Table, ref)
			if _, waits := on[k]; waits || known(k) {
				return
			}
			if wr.isHeld(k) {
				on[k] = waitHeld
			} else {
				doomed = true
			}
		}), rec.Entity)
		if relp != nil {
			*relp = rels
		}
	}
	waits := len(on) > 0 || len(after) > 0
	switch {
	case doomed:
		return false, nil, nil // decide says what is missing
	case waits && wr.n >= maxWaiting:
		return false, nil, &models.Error{Code: models.EUNPROCESSABLE, Message: fmt.Sprintf(
			"names a record of a later line while %d records already wait for theirs; list what records name before them", maxWaiting)}
	case waits:
		return true, wr.add(it, own, on, after), nil
	}
	if len(follow) > 0 {
		wr.setAside(it, table, relp, follow)
	}
	return false, nil, nil
}

// add makes it wait for the keys on and its turn after the items after, and releases
// those that waited only to learn that a record with its keys would come.
func (wr *waitRoom) add(it *item, own []string, on map[string]waitKind, after []*item) []*item {
	ws := &waitState{it: it, on: on, after: after}
	if h, ref := hierarchyOf(it.rec.Entity); ref != nil {
		if k := refKey(h.table, *ref); !emptyRef(*ref) {
			if _, ok := on[k]; ok {
				ws.hier = k
			}
		}
	}
	it.wait = ws
	wr.n++
	for k, how := range on {
		wr.waiters[how][k] = append(wr.waiters[how][k], ws)
	}
	for _, h := range after {
		wr.turn[h] = append(wr.turn[h], ws)
	}
	if !it.waited {
		// Items first wait in the order they are read, which is line order: the
		// insertion is an append but for records built out of order.
		it.waited = true
		wr.all = append(wr.all, it)
		for _, k := range own {
			hs := wr.holders[k]
			i, _ := slices.BinarySearchFunc(hs, it.rec.Line, func(h *item, line int) int { return h.rec.Line - line })
			wr.holders[k] = slices.Insert(hs, i, it)
		}
	}
	var out []*item
	for _, k := range own {
		out = wr.end(out, waitComing, k)
	}
	return out
}

// end ends every wait of kind how for k (the list goes), and adds to out the items
// that have nothing left to wait for.
func (wr *waitRoom) end(out []*item, how waitKind, k string) []*item {
	for _, ws := range wr.waiters[how][k] {
		if _, ok := ws.on[k]; ok && ws.waiting() {
			delete(ws.on, k)
			out = wr.check(out, ws)
		}
	}
	delete(wr.waiters[how], k)
	return out
}

// check releases ws if nothing is left for it to wait for.
func (wr *waitRoom) check(out []*item, ws *waitState) []*item {
	if len(ws.on) > 0 || len(ws.after) > 0 {
		return out
	}
	ws.released = true
	return append(out, ws.it)
}

// leave ends the item's wait: it is looked at again, or refused.
func (wr *waitRoom) leave(it *item) {
	if it.wait != nil {
		it.wait = nil
		wr.n--
	}
}

// holdersOf lists the items not done that have waited with k as their own key, in
// line order, dropping those done from the front (lines with one key are done in
// order, as each waits its turn).
func (wr *waitRoom) holdersOf(k string) []*item {
	hs := wr.holders[k]
	i := 0
	for i < len(hs) && hs[i].done {
		i++
	}
	if i == len(hs) {
		delete(wr.holders, k)
		return nil
	}
	if i > 0 {
		hs = hs[i:]
		wr.holders[k] = hs
	}
	return hs
}

func (wr *waitRoom) isHeld(k string) bool { return len(wr.holdersOf(k)) > 0 }

// heldBefore is the last line before line not done that has waited with k as its own
// key: the one whose turn comes before line's.
func (wr *waitRoom) heldBefore(k string, line int) *item {
	hs := wr.holdersOf(k)
	i, _ := slices.BinarySearchFunc(hs, line, func(h *item, line int) int { return h.rec.Line - line })
	for i--; i >= 0; i-- {
		if !hs[i].done {
			return hs[i]
		}
	}
	return nil
}

// firstHolder is the earliest line not done that has waited with k as its own key: the
// record a reference to k will find.
func (wr *waitRoom) firstHolder(k string) *item {
	if hs := wr.holdersOf(k); len(hs) > 0 {
		return hs[0]
	}
	return nil
}

// setAside takes the relations at idx (in increasing order) out of the entity's (in
// *relp), to follow the entities of table they name.
func (wr *waitRoom) setAside(it *item, table string, relp *[]models.Relation, idx []int) {
	rels := *relp
	kept := make([]models.Relation, 0, len(rels)-len(idx))
	for i, r := range rels {
		if len(idx) > 0 && idx[0] == i {
			idx = idx[1:]
			k := refKey(table, r.Related)
			wr.follow[k] = append(wr.follow[k], &followingRelation{from: it, index: i, rel: r})
			continue
		}
		kept = append(kept, r)
	}
	*relp = kept
}

// release ends what waited for it, now that it is done (ok: stored or unchanged, else
// refused), and returns the items with nothing left to wait for, to be looked at again.
// When it is in, the relations that follow it come too.
func (im *importer) release(it *item, ok bool) []*item {
	wr := &im.wait
	it.done = true
	var out []*item
	for _, ws := range wr.turn[it] {
		if i := slices.Index(ws.after, it); i >= 0 && ws.waiting() {
			ws.after = slices.Delete(ws.after, i, i+1)
			out = wr.check(out, ws)
		}
	}
	delete(wr.turn, it)
	for _, k := range im.ownKeys(it.rec) {
		switch {
		case ok:
			for how := range waitKinds {
				out = wr.end(out, how, k)
			}
		case !wr.isHeld(k):
			// No line with k is left: a record of another kind that names it is
			// refused, one of its own table waits for a later line, if one can come.
			out = wr.end(out, waitHeld, k)
			if wr.final {
				out = wr.end(out, waitLater, k)
			}
		}
		if !ok {
			continue
		}
		for _, f := range wr.follow[k] {
			if f.from.imported {
				out = append(out, &item{rec: ImportRecord{Line: f.from.rec.Line, Kind: "relation", Stated: &models.MetaMembers{}},
					window: im.seq, derived: true, follows: f, target: it})
			}
		}
		delete(wr.follow, k)
	}
	return out
}

// finish ends the wait of what still waits once the input is read. Cycles of
// affiliations or parents among waiting records are refused with the lines that make
// them; then everything else is imported in line order with nothing more to wait for,
// which refuses what names a record no line brought, as line by line. Last, relations
// set aside for an event that never came are refused.
func (im *importer) finish(ctx context.Context) error {
	wr := &im.wait
	if wr.n == 0 && len(wr.follow) == 0 {
		return nil
	}
	im.cache = refCache{}
	im.seq++
	im.kinds = map[string]windowKind{}
	wr.final = true
	var waiting []*item
	for _, it := range wr.all {
		if it.wait != nil {
			waiting = append(waiting, it)
		}
	}
	slices.SortStableFunc(waiting, func(a, b *item) int { return a.rec.Line - b.rec.Line })
	for _, cycle := range wr.cycles(waiting) {
		err := cycleError(cycle)
		for _, c := range cycle {
			wr.leave(c)
			im.reject(c.rec, err)
			// What this releases still waits in the list below.
			im.release(c, false)
		}
	}
	for _, force := range []bool{false, true} {
		wr.force = force
		for _, it := range waiting {
			if err := ctx.Err(); err != nil {
				return err
			}
			if it.wait == nil {
				continue
			}
			wr.leave(it)
			if err := im.admit(ctx, it); err != nil {
				return err
			}
		}
	}
	if err := im.flush(ctx); err != nil {
		return err
	}
	var left []*followingRelation
	for _, fs := range wr.follow {
		left = append(left, fs...)
	}
	slices.SortStableFunc(left, func(a, b *followingRelation) int { return a.from.rec.Line - b.from.rec.Line })
	for _, f := range left {
		if f.from.imported {
			im.reject(ImportRecord{Line: f.from.rec.Line, Kind: "relation"}, &models.Error{Code: models.EUNPROCESSABLE,
				Message: "validation failed", Fields: []models.FieldError{{Field: fmt.Sprintf("relations[%d].event_id", f.index),
					Message: fmt.Sprintf("no event with id or slug %q", f.rel.Related.String())}}})
		}
	}
	clear(wr.follow)
	return nil
}

// cycles finds the cycles of affiliations or parents among the waiting items (each
// waits for at most one: the earliest line with the key it names), in the order their
// walk from the earliest line meets them. Each item is walked once.
func (wr *waitRoom) cycles(waiting []*item) [][]*item {
	next := func(it *item) *item {
		if it.wait == nil || it.wait.hier == "" {
			return nil
		}
		if n := wr.firstHolder(it.wait.hier); n != nil && n.wait != nil && n.wait.hier != "" {
			return n
		}
		return nil
	}
	// walk is 0 for an item not walked yet, the walk's number while it is on it, -1 once
	// the walk is over.
	walk := map[*item]int{}
	var out [][]*item
	for i, start := range waiting {
		var path []*item
		cur := start
		for cur != nil && walk[cur] == 0 {
			walk[cur] = i + 1
			path = append(path, cur)
			cur = next(cur)
		}
		if cur != nil && walk[cur] == i+1 {
			out = append(out, path[slices.Index(path, cur):])
		}
		for _, p := range path {
			walk[p] = -1
		}
	}
	return out
}

// cycleError is the problem of each line of a cycle.
func cycleError(cycle []*item) error {
	h, _ := hierarchyOf(cycle[0].rec.Entity)
	lines := make([]int, len(cycle))
	for i, c := range cycle {
		lines[i] = c.rec.Line
	}
	slices.Sort(lines)
	s := make([]string, len(lines))
	for i, l := range lines {
		s[i] = strconv.Itoa(l)
	}
	return &models.Error{Code: models.EUNPROCESSABLE,
		Message: fmt.Sprintf("the %ss of lines %s name one another through %s in a cycle, which no order can restore", h.kind, strings.Join(s, ", "), h.field),
		Fields:  []models.FieldError{{Field: h.field, Message: h.cycle}}}
}
