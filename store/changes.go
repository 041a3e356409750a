package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/parley-api/parley/models"
)

// Change is one create, update or delete, with the cursor that resumes the feed after it.
type Change struct {
	Cursor string `json:"cursor"`
	models.Revision
}

// ChangePage is a page of the changes feed. Next resumes after its last change (or
// where the request started, when there was none): poll with it to stay in sync.
type ChangePage struct {
	Items []Change `json:"items"`
	Next  string   `json:"next"`
}

// changeCursor is a position in the feed: the writing transaction and the order within
// it on PostgreSQL, the rowid on SQLite (where tx stays 0).
type changeCursor struct {
	tx  uint64
	seq int64
}

func (c changeCursor) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%d.%d", c.tx, c.seq)))
}

func parseChangeCursor(s string) (changeCursor, error) {
	bad := &models.Error{Code: models.EINVALID, Message: "invalid request parameters",
		Fields: []models.FieldError{{Field: "since", Message: "is not a cursor of this feed"}}}
	if s == "" {
		return changeCursor{}, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return changeCursor{}, bad
	}
	txs, seqs, ok := strings.Cut(string(raw), ".")
	tx, err1 := strconv.ParseUint(txs, 10, 64)
	seq, err2 := strconv.ParseInt(seqs, 10, 64)
	if !ok || err1 != nil || err2 != nil || seq < 0 {
		return changeCursor{}, bad
	}
	return changeCursor{tx, seq}, nil
}

// Changes lists every create, update and delete after the cursor since ("" for the
// beginning), oldest first, with each entity's whole state after the change (before
// it, for a deletion). On PostgreSQL a change shows only once every transaction that
// began before its own has ended, so a reader that resumes from Next never misses one
// that commits late.
func (s *Store) Changes(ctx context.Context, since string, limit int) (ChangePage, error) {
	cur, err := parseChangeCursor(since)
	if err != nil {
		return ChangePage{}, err
	}
	if limit, err = checkLimit(limit); err != nil {
		return ChangePage{}, err
	}
	var rows []struct {
		models.Revision
		Tx  uint64
		Seq int64
	}
	db := s.db.WithContext(ctx)
	if s.dialect == Postgres {
		err = db.Raw(`SELECT id, entity_type, entity_id, version, action, author, created_at, data, txid::text::bigint AS tx, seq
			FROM revisions
			WHERE (txid > ?::text::xid8 OR (txid = ?::text::xid8 AND seq > ?))
			  AND txid < pg_snapshot_xmin(pg_current_snapshot())
			ORDER BY txid, seq LIMIT ?`, strconv.FormatUint(cur.tx, 10), strconv.FormatUint(cur.tx, 10), cur.seq, limit).Scan(&rows).Error
	} else {
		err = db.Raw(`SELECT id, entity_type, entity_id, version, action, author, created_at, data, 0 AS tx, rowid AS seq
			FROM revisions WHERE rowid > ? ORDER BY rowid LIMIT ?`, cur.seq, limit).Scan(&rows).Error
	}
	if err != nil {
		return ChangePage{}, dbError(err, "changes")
	}
	page := ChangePage{Items: make([]Change, len(rows)), Next: cur.String()}
	for i, r := range rows {
		c := changeCursor{r.Tx, r.Seq}
		page.Items[i] = Change{Cursor: c.String(), Revision: r.Revision}
		page.Next = c.String()
	}
	return page, nil
}
