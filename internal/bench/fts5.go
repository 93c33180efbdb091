package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, pure Go

	"kho/internal/article"
	"kho/internal/vntext"
)

// The FTS5 baseline is what a team would build instead of kho: SQLite's
// full-text index with the unicode61 tokenizer removing diacritics, bm25 with
// the title weighted, and the facets counted with GROUP BY. unicode61 does not
// fold đ (it has no decomposition), so đ becomes d before the text goes in;
// highlights and snippets therefore show d where the paper printed đ.
const fts5Schema = `
CREATE TABLE IF NOT EXISTS articles (
	id        INTEGER PRIMARY KEY,
	key       TEXT NOT NULL UNIQUE,
	url       TEXT,
	source    TEXT NOT NULL,
	category  TEXT,
	author    TEXT,
	published INTEGER,
	year      TEXT,
	month     TEXT
);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE INDEX IF NOT EXISTS articles_year ON articles(year);
CREATE INDEX IF NOT EXISTS articles_month ON articles(month);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);
CREATE INDEX IF NOT EXISTS articles_category ON articles(category);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
	title, summary, body, captions,
	tokenize = 'unicode61 remove_diacritics 2'
);`

// bm25Weights weigh the columns as kho weighs its fields (title 3, summary
// 1.5, body 1, captions 0.5).
const bm25Weights = "3.0, 1.5, 1.0, 0.5"

// fts5BatchSize is how many articles go into one transaction, as kho's
// writer batches 1,000.
const fts5BatchSize = 1000

// OpenFTS5 opens (creating when absent) the baseline database at path.
func OpenFTS5(path string, readOnly bool) (*sql.DB, error) {
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
		"&_pragma=cache_size(-32000)&_pragma=busy_timeout(5000)"
	if readOnly {
		dsn += "&mode=ro"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if !readOnly {
		db.SetMaxOpenConns(1)
		if _, err := db.Exec(fts5Schema); err != nil {
			db.Close()
			return nil, fmt.Errorf("create schema in %s: %w", path, err)
		}
	}
	return db, nil
}

// FTS5Writer is an ingest sink that upserts articles into the baseline by
// key, a transaction per fts5BatchSize articles.
type FTS5Writer struct {
	db      *sql.DB
	loc     *time.Location
	tx      *sql.Tx
	pending int
	stmts   map[string]*sql.Stmt
}

var fts5Statements = map[string]string{
	"find":      `SELECT id FROM articles WHERE key = ?`,
	"insert":    `INSERT INTO articles(key, url, source, category, author, published, year, month) VALUES(?, ?, ?, ?, ?, ?, ?, ?)`,
	"update":    `UPDATE articles SET url = ?, source = ?, category = ?, author = ?, published = ?, year = ?, month = ? WHERE id = ?`,
	"unindex":   `DELETE FROM fts WHERE rowid = ?`,
	"index":     `INSERT INTO fts(rowid, title, summary, body, captions) VALUES(?, ?, ?, ?, ?)`,
	"optimized": `INSERT INTO fts(fts) VALUES('optimize')`,
}

// NewFTS5Writer writes to db; years and months are counted in loc.
func NewFTS5Writer(db *sql.DB, loc *time.Location) (*FTS5Writer, error) {
	w := &FTS5Writer{db: db, loc: loc, stmts: map[string]*sql.Stmt{}}
	for name, q := range fts5Statements {
		s, err := db.Prepare(q)
		if err != nil {
			return nil, fmt.Errorf("prepare %s: %w", name, err)
		}
		w.stmts[name] = s
	}
	return w, nil
}

var foldDD = strings.NewReplacer("đ", "d", "Đ", "D")

// Add upserts one article.
func (w *FTS5Writer) Add(ctx context.Context, a *article.Article) error {
	if w.tx == nil {
		tx, err := w.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		w.tx = tx
	}
	var published any
	var year, month any
	if !a.Published.IsZero() {
		t := a.Published.In(w.loc)
		published, year, month = t.Unix(), t.Format("2006"), t.Format("2006-01")
	}
	stmt := func(name string) *sql.Stmt { return w.tx.StmtContext(ctx, w.stmts[name]) }
	var id int64
	err := stmt("find").QueryRowContext(ctx, a.ID).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		res, err := stmt("insert").ExecContext(ctx, a.ID, a.URL, a.Source, a.Category, a.Author, published, year, month)
		if err != nil {
			return fmt.Errorf("insert %q: %w", a.ID, err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
	case err != nil:
		return fmt.Errorf("find %q: %w", a.ID, err)
	default:
		if _, err := stmt("update").ExecContext(ctx, a.URL, a.Source, a.Category, a.Author, published, year, month, id); err != nil {
			return fmt.Errorf("update %q: %w", a.ID, err)
		}
		if _, err := stmt("unindex").ExecContext(ctx, id); err != nil {
			return fmt.Errorf("unindex %q: %w", a.ID, err)
		}
	}
	_, err = stmt("index").ExecContext(ctx, id, foldDD.Replace(a.Title), foldDD.Replace(a.Summary),
		foldDD.Replace(a.Body), foldDD.Replace(strings.Join(a.Captions, "\n")))
	if err != nil {
		return fmt.Errorf("index %q: %w", a.ID, err)
	}
	if w.pending++; w.pending >= fts5BatchSize {
		return w.Flush(ctx)
	}
	return nil
}

// Flush commits the open transaction.
func (w *FTS5Writer) Flush(context.Context) error {
	if w.tx == nil {
		return nil
	}
	err := w.tx.Commit()
	w.tx, w.pending = nil, 0
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Close merges the full-text index into one b-tree ('optimize', what a
// team would do once after loading an archive) and checkpoints the log.
func (w *FTS5Writer) Close(ctx context.Context) error {
	if err := w.Flush(ctx); err != nil {
		return err
	}
	if _, err := w.stmts["optimized"].ExecContext(ctx); err != nil {
		return fmt.Errorf("optimize: %w", err)
	}
	for _, s := range w.stmts {
		s.Close()
	}
	if _, err := w.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}

// ftsMatch is the FTS5 query for the reader's text: every syllable folded,
// quoted, all of them required. "" when the text has no syllable.
func ftsMatch(text string) string {
	var terms []string
	for _, f := range strings.FieldsFunc(vntext.Fold(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		terms = append(terms, `"`+f+`"`)
	}
	return strings.Join(terms, " ")
}

// FTS5Result answers a search in the shape of kho's API response (the part
// the benchmark reads).
type FTS5Result struct {
	Total  int                    `json:"total"`
	Hits   []FTS5Hit              `json:"hits"`
	Facets map[string][]FTS5Count `json:"facets"`
}

// FTS5Hit is one result with its highlighted title and snippet.
type FTS5Hit struct {
	ID        string `json:"id"`
	URL       string `json:"url,omitempty"`
	Source    string `json:"source"`
	Category  string `json:"category,omitempty"`
	Published int64  `json:"published,omitempty"`
	TitleHTML string `json:"title_html"`
	Snippet   string `json:"snippet"`
}

// FTS5Count is one facet value and its count.
type FTS5Count struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// FTS5Search is one search against the baseline: the reader's text, the
// filters kho's API takes, a sort and a page.
type FTS5Search struct {
	Text                string
	Sources, Categories []string
	From, To            time.Time // inclusive; zero: unbounded
	Newest              bool
	Offset, Size        int
}

// facetNames map the GROUP BY columns to kho's facet names.
var facetNames = map[string]string{"year": "years", "month": "months", "category": "categories", "source": "sources"}

// SearchFTS5 runs one search: the total, the four facets and the page of
// hits in one statement over the matching rows, then a highlight and a
// snippet for each hit on the page.
func SearchFTS5(ctx context.Context, db *sql.DB, s FTS5Search) (*FTS5Result, error) {
	match := ftsMatch(s.Text)
	where, args := fts5Filters(s)
	order := "score"
	if s.Newest || match == "" {
		order = "-published"
	}
	var rows string
	if match != "" {
		rows = `SELECT fts.rowid AS id, bm25(fts, ` + bm25Weights + `) AS score, a.published, a.year, a.month, a.category, a.source
			FROM fts JOIN articles a ON a.id = fts.rowid WHERE fts MATCH ?` + strings.ReplaceAll(where, "WHERE", "AND")
		args = append([]any{match}, args...)
	} else {
		rows = `SELECT a.id, 0 AS score, a.published, a.year, a.month, a.category, a.source FROM articles a` + where
	}
	// Undated articles have no published time: they sort last, as in kho.
	order = "coalesce(" + order + ", 9e18)"
	materialized := "MATERIALIZED"
	if match == "" {
		materialized = "NOT MATERIALIZED" // let each GROUP BY use its own index
	}
	q := `WITH m AS ` + materialized + ` (` + rows + `)
		SELECT 't', NULL, count(*) FROM m
		UNION ALL SELECT 'year', year, count(*) FROM m GROUP BY year
		UNION ALL SELECT 'month', month, count(*) FROM m GROUP BY month
		UNION ALL SELECT 'category', category, count(*) FROM m GROUP BY category
		UNION ALL SELECT 'source', source, count(*) FROM m GROUP BY source
		UNION ALL SELECT * FROM (SELECT 'hit', id, ` + order + ` FROM m ORDER BY ` + order + ` LIMIT ? OFFSET ?)`
	args = append(args, s.Size, s.Offset)
	res, hitIDs, err := collectFTS5(ctx, db, q, args)
	if err != nil {
		return nil, err
	}
	for _, id := range hitIDs {
		h, err := fts5Hit(ctx, db, match, id)
		if err != nil {
			return nil, err
		}
		res.Hits = append(res.Hits, h)
	}
	return res, nil
}

func fts5Filters(s FTS5Search) (string, []any) {
	var conds []string
	var args []any
	in := func(col string, vals []string) {
		if len(vals) == 0 {
			return
		}
		conds = append(conds, "a."+col+" IN (?"+strings.Repeat(", ?", len(vals)-1)+")")
		for _, v := range vals {
			args = append(args, v)
		}
	}
	in("source", s.Sources)
	in("category", s.Categories)
	if !s.From.IsZero() {
		conds, args = append(conds, "a.published >= ?"), append(args, s.From.Unix())
	}
	if !s.To.IsZero() {
		conds, args = append(conds, "a.published <= ?"), append(args, s.To.Unix())
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// collectFTS5 reads the total, facets and hit ids of the one big statement.
func collectFTS5(ctx context.Context, db *sql.DB, q string, args []any) (*FTS5Result, []int64, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("fts5 search: %w", err)
	}
	defer rows.Close()
	res := &FTS5Result{Facets: map[string][]FTS5Count{}}
	type ranked struct {
		id  int64
		key float64
	}
	var hits []ranked
	for rows.Next() {
		var kind string
		var key sql.NullString
		var n float64
		if err := rows.Scan(&kind, &key, &n); err != nil {
			return nil, nil, fmt.Errorf("fts5 search: %w", err)
		}
		switch kind {
		case "t":
			res.Total = int(n)
		case "hit":
			var id int64
			fmt.Sscan(key.String, &id)
			hits = append(hits, ranked{id, n})
		default:
			if key.Valid {
				res.Facets[facetNames[kind]] = append(res.Facets[facetNames[kind]], FTS5Count{key.String, int(n)})
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("fts5 search: %w", err)
	}
	// UNION ALL does not promise to keep the page's order: sort it again.
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].key < hits[j].key })
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.id
	}
	return res, ids, nil
}

// fts5Hit fetches one hit's metadata, highlighted title and snippet (the
// start of the summary when there is no query).
func fts5Hit(ctx context.Context, db *sql.DB, match string, id int64) (FTS5Hit, error) {
	var h FTS5Hit
	var published sql.NullInt64
	var url, category sql.NullString
	var err error
	if match != "" {
		err = db.QueryRowContext(ctx, `SELECT a.key, a.url, a.source, a.category, a.published,
			highlight(fts, 0, '<mark>', '</mark>'), snippet(fts, -1, '<mark>', '</mark>', '…', 32)
			FROM fts JOIN articles a ON a.id = fts.rowid WHERE fts MATCH ? AND fts.rowid = ?`, match, id).
			Scan(&h.ID, &url, &h.Source, &category, &published, &h.TitleHTML, &h.Snippet)
	} else {
		err = db.QueryRowContext(ctx, `SELECT a.key, a.url, a.source, a.category, a.published, f.title, substr(f.summary, 1, 240)
			FROM articles a JOIN fts f ON f.rowid = a.id WHERE a.id = ?`, id).
			Scan(&h.ID, &url, &h.Source, &category, &published, &h.TitleHTML, &h.Snippet)
	}
	if err != nil {
		return h, fmt.Errorf("fts5 hit %d: %w", id, err)
	}
	h.URL, h.Category, h.Published = url.String, category.String, published.Int64
	return h, nil
}
