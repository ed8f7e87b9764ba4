// State of one paged, filtered table: items, total, page, per_page, loading, reload().
import { reactive, ref } from 'vue'

export function usePagedList(fetchPage, perPage = 20) {
  const items = ref([])
  const total = ref(0)
  const loading = ref(false)
  const pager = reactive({ page: 1, per_page: perPage })

  async function reload() {
    loading.value = true
    try {
      const data = await fetchPage({ page: pager.page, per_page: pager.per_page })
      items.value = data.items || []
      total.value = data.total ?? items.value.length
      // The last row of the last page was removed: step back one page.
      if (items.value.length === 0 && pager.page > 1 && total.value > 0) {
        pager.page = Math.max(1, Math.ceil(total.value / pager.per_page))
        return reload()
      }
    } catch {
      items.value = []
      total.value = 0
    } finally {
      loading.value = false
    }
  }
  function search() { pager.page = 1; return reload() }
  return { items, total, loading, pager, reload, search }
}
