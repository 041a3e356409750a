package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// IdempotencyTTL is how long an Idempotency-Key's answer is kept for replay.
const IdempotencyTTL = 24 * time.Hour

// IdempotencyLease is the least time a running request holds its Idempotency-Key. A
// request that panicked releases its key at once; one whose process died cannot, and its
// key is given to the next request with it once the lease has run out, instead of
// answering 409 for IdempotencyTTL.
const IdempotencyLease = time.Minute

// StoredResponse is the answer a request with an Idempotency-Key got the first time.
type StoredResponse struct {
	Status int
	Header map[string]string
	Body   []byte
}

type idempotencyRow struct {
	Owner       string `gorm:"primaryKey"`
	Key         string `gorm:"primaryKey"`
	RequestHash string
	Status      int
	Header      string
	Body        []byte
	CreatedAt   time.Time
}

// ClaimIdempotencyKey claims key for owner's request with the given hash. It returns nil
// when the request is the first with that key (the caller runs it, then completes or
// releases the key), the stored answer when it is a retry, ECONFLICT while the first is
// still running and EUNPROCESSABLE when the key came with a different request. A claim
// older than lease that never completed is taken over, as is an answer older than
// IdempotencyTTL: the key is free again.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, owner, key, hash string, lease time.Duration) (*StoredResponse, error) {
	var out *StoredResponse
	err := transact(ctx, s.db, func(tx *gorm.DB) error {
		out = nil
		t := now()
		row := idempotencyRow{Owner: owner, Key: key, RequestHash: hash, Header: "{}", Body: []byte{}, CreatedAt: t}
		res := tx.Table("idempotency_keys").Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil || res.RowsAffected == 1 {
			return res.Error
		}
		// Taken: by a finished request, a running one, or one that will never finish.
		res = tx.Table("idempotency_keys").
			Where("owner = ? AND key = ? AND (created_at < ? OR (status = 0 AND created_at < ?))", owner, key, t.Add(-IdempotencyTTL), t.Add(-lease)).
			Updates(map[string]any{"request_hash": hash, "status": 0, "header": "{}", "body": []byte{}, "created_at": t})
		if res.Error != nil || res.RowsAffected == 1 {
			return res.Error
		}
		var cur idempotencyRow
		if err := tx.Table("idempotency_keys").Where("owner = ? AND key = ?", owner, key).Take(&cur).Error; err != nil {
			return err
		}
		switch {
		case cur.RequestHash != hash:
			return &models.Error{Code: models.EUNPROCESSABLE, Message: "this Idempotency-Key was used with a different request",
				Fields: []models.FieldError{{Field: "Idempotency-Key", Message: "belongs to another request: use a new key for a new request"}}}
		case cur.Status == 0:
			return models.Errorf(models.ECONFLICT, "a request with this Idempotency-Key is still in progress; retry shortly")
		}
		out = &StoredResponse{Status: cur.Status, Body: cur.Body}
		return json.Unmarshal([]byte(cur.Header), &out.Header)
	})
	if err != nil {
		return nil, dbError(err, "idempotency key")
	}
	return out, nil
}

// CompleteIdempotencyKey stores the answer to replay for a claimed key.
func (s *Store) CompleteIdempotencyKey(ctx context.Context, owner, key string, r StoredResponse) error {
	h, err := json.Marshal(r.Header)
	if err != nil {
		return err
	}
	return dbError(transact(ctx, s.db, func(tx *gorm.DB) error {
		return tx.Table("idempotency_keys").Where("owner = ? AND key = ?", owner, key).
			Updates(map[string]any{"status": r.Status, "header": string(h), "body": r.Body}).Error
	}), "idempotency key")
}

// ReleaseIdempotencyKey forgets a key whose request did not succeed, so that a retry
// runs again; it also drops answers older than IdempotencyTTL.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, owner, key string) error {
	return dbError(transact(ctx, s.db, func(tx *gorm.DB) error {
		return tx.Table("idempotency_keys").Where("(owner = ? AND key = ?) OR created_at < ?", owner, key, now().Add(-IdempotencyTTL)).
			Delete(&idempotencyRow{}).Error
	}), "idempotency key")
}
