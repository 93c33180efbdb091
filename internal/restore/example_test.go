package restore_test

import (
	"fmt"

	"kho/internal/restore"
)

func ExampleModel_Restore() {
	m := restore.NewModel()
	m.Add("Phong trào dân vận khéo ở Hà Nội. Cán bộ dân vận khéo léo, gần dân.")
	m.Add("Bàn ghế mới cho trường học. Ban chỉ đạo họp bàn kế hoạch.")

	for _, q := range []string{"dan van kheo", "Ha Noi", "ban ghe", "Ban chỉ dao", "Vieejt Nam", "deadline"} {
		restored, changed := m.Restore(q)
		fmt.Printf("%-14s → %s (%v)\n", q, restored, changed)
	}
	// Output:
	// dan van kheo   → dân vận khéo (true)
	// Ha Noi         → Hà Nội (true)
	// ban ghe        → bàn ghế (true)
	// Ban chỉ dao    → Ban chỉ đạo (true)
	// Vieejt Nam     → Việt Nam (true)
	// deadline       → deadline (false)
}
