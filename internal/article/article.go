package article

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Where an article's publication date came from.
const (
	FromMetadata = "metadata" // a date field or tag of the record
	FromText     = "text"     // inferred from the article's own lead
	FromUnknown  = "unknown"  // no date; Published is zero
)

// MaxTextBytes is the largest article kho accepts: title, summary, body and
// captions together. Larger records are almost always broken dumps.
const MaxTextBytes = 5 << 20

// Article is one news article as kho stores it. Text fields hold the text as
// its paper published it, after vntext's repairs and NFC only.
type Article struct {
	ID            string    `json:"id"` // the key, "<source>:<id>"
	URL           string    `json:"url,omitempty"`
	Title         string    `json:"title"`
	Summary       string    `json:"summary,omitempty"`
	Body          string    `json:"body,omitempty"`
	Captions      []string  `json:"captions,omitempty"`
	ReadingList   []string  `json:"reading_list,omitempty"` // other headlines the page listed; never searched
	Author        string    `json:"author,omitempty"`
	Category      string    `json:"category,omitempty"`
	Tags          []string  `json:"tags,omitempty"`
	Source        string    `json:"source"`
	Published     time.Time `json:"published,omitzero"`
	PublishedFrom string    `json:"published_from"`
}

// Validation errors. Ingest reports them as skip reasons.
var (
	ErrNoText   = errors.New("no title and no body")
	ErrTooLarge = fmt.Errorf("text over %d MB", MaxTextBytes>>20)
	ErrNoKey    = errors.New("no key")
)

// Validate reports why an article cannot be indexed, or nil.
func (a *Article) Validate() error {
	if strings.TrimSpace(a.Title) == "" && strings.TrimSpace(a.Body) == "" {
		return ErrNoText
	}
	if a.TextBytes() > MaxTextBytes {
		return ErrTooLarge
	}
	if a.ID == "" {
		return ErrNoKey
	}
	return nil
}

// TextBytes is the size of the article's text fields.
func (a *Article) TextBytes() int {
	n := len(a.Title) + len(a.Summary) + len(a.Body)
	for _, c := range a.Captions {
		n += len(c)
	}
	return n
}

// SourceOf picks the article's source per DESIGN.md: the record's own source
// (a domain), else the URL's host without "www.", else the fallback (the
// --source flag).
func SourceOf(recordSource, rawURL, fallback string) string {
	if s := strings.TrimSpace(recordSource); s != "" {
		return strings.TrimPrefix(strings.ToLower(s), "www.")
	}
	if u, err := url.Parse(strings.TrimSpace(rawURL)); err == nil && u.Hostname() != "" {
		return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	}
	return fallback
}

// Key builds "<source>:<id>": the record's id, else a hash of the URL, else a
// hash of title + published + body. The same record always gets the same key,
// so re-ingesting it updates it instead of duplicating it.
func Key(source, recordID, rawURL, title, published, body string) string {
	id := strings.TrimSpace(recordID)
	switch {
	case id != "":
	case strings.TrimSpace(rawURL) != "":
		id = "u" + shortHash(strings.TrimSpace(rawURL))
	default:
		id = "h" + shortHash(title, published, body)
	}
	return source + ":" + id
}

func shortHash(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// Outcome is what storing an article did to the index.
type Outcome int

const (
	Added     Outcome = iota + 1 // a new key
	Updated                      // an existing key with changed content
	Unchanged                    // an existing key with the same content: nothing written
)

func (o Outcome) String() string {
	switch o {
	case Added:
		return "added"
	case Updated:
		return "updated"
	case Unchanged:
		return "unchanged"
	}
	return "unknown"
}
