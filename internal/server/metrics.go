package server

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"kho/index"
	"kho/internal/httpapi"
)

// metrics are what /metrics reports. Each Server has its own registry, so
// tests can build many servers in one process.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	records  *prometheus.CounterVec
	deletes  prometheus.Counter
}

func newMetrics(ix *index.Index) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kho_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "kho_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route"}),
		records: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kho_ingest_records_total",
			Help: "Records received through POST /api/articles, by result (added, updated, unchanged, skipped).",
		}, []string{"result"}),
		deletes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "kho_articles_deleted_total",
			Help: "Articles deleted through DELETE /api/articles/{id}.",
		}),
	}
	docs := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "kho_index_documents",
		Help: "Articles in the index.",
	}, func() float64 {
		n, err := ix.Count()
		if err != nil {
			return -1
		}
		return float64(n)
	})
	// Every result is reported from the start, at 0, so rates work at once.
	for _, r := range []string{httpapi.ResultAdded, httpapi.ResultUpdated, httpapi.ResultUnchanged, httpapi.ResultSkipped} {
		m.records.WithLabelValues(r)
	}
	m.registry.MustRegister(m.requests, m.latency, m.records, m.deletes, docs,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) observe(route, method string, status int, took time.Duration) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(took.Seconds())
}
