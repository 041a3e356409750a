package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm/clause"
)

// IdempotencyTTL is how long an Idempotency-Key's answer is kept for replay.
const IdempotencyTTL = 24 * time.Hour

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
// still running and EUNPROCESSABLE when the key came with a different request.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, owner, key, hash string) (*StoredResponse, error) {
	db := s.db.WithContext(ctx)
	for attempt := 0; attempt < 2; attempt++ {
		row := idempotencyRow{Owner: owner, Key: key, RequestHash: hash, Header: "{}", Body: []byte{}, CreatedAt: now()}
		res := db.Table("idempotency_keys").Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil {
			return nil, dbError(res.Error, "idempotency key")
		}
		if res.RowsAffected == 1 {
			return nil, nil
		}
		var cur idempotencyRow
		if err := db.Table("idempotency_keys").Where("owner = ? AND key = ?", owner, key).Take(&cur).Error; err != nil {
			return nil, dbError(err, "idempotency key")
		}
		switch {
		case now().Sub(cur.CreatedAt) > IdempotencyTTL:
			if err := s.ReleaseIdempotencyKey(ctx, owner, key); err != nil {
				return nil, err
			}
			continue
		case cur.RequestHash != hash:
			return nil, &models.Error{Code: models.EUNPROCESSABLE, Message: "this Idempotency-Key was used with a different request",
				Fields: []models.FieldError{{Field: "Idempotency-Key", Message: "belongs to another request: use a new key for a new request"}}}
		case cur.Status == 0:
			return nil, models.Errorf(models.ECONFLICT, "a request with this Idempotency-Key is still in progress; retry shortly")
		}
		out := &StoredResponse{Status: cur.Status, Body: cur.Body}
		if err := json.Unmarshal([]byte(cur.Header), &out.Header); err != nil {
			return nil, err
		}
		return out, nil
	}
	return nil, models.Errorf(models.ECONFLICT, "a request with this Idempotency-Key is still in progress; retry shortly")
}

// CompleteIdempotencyKey stores the answer to replay for a claimed key.
func (s *Store) CompleteIdempotencyKey(ctx context.Context, owner, key string, r StoredResponse) error {
	h, err := json.Marshal(r.Header)
	if err != nil {
		return err
	}
	err = s.db.WithContext(ctx).Table("idempotency_keys").Where("owner = ? AND key = ?", owner, key).
		Updates(map[string]any{"status": r.Status, "header": string(h), "body": r.Body}).Error
	return dbError(err, "idempotency key")
}

// ReleaseIdempotencyKey forgets a key whose request did not succeed, so that a retry
// runs again; it also drops answers older than IdempotencyTTL.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, owner, key string) error {
	db := s.db.WithContext(ctx).Table("idempotency_keys")
	err := db.Where("(owner = ? AND key = ?) OR created_at < ?", owner, key, now().Add(-IdempotencyTTL)).Delete(&idempotencyRow{}).Error
	return dbError(err, "idempotency key")
}
