// State of one paged list: items, total, loading, the last error (shown in the table instead of
// rows), page and per_page; reload() asks fetchPage({page, per_page}) again.
import { reactive, ref } from 'vue'

export function useList(fetchPage, perPage = 20) {
  const items = ref([])
  const total = ref(0)
  const loading = ref(false)
  const error = ref(null)
  const pager = reactive({ page: 1, per_page: perPage })
  let seq = 0 // only the answer to the last request is shown

  async function reload() {
    const mine = ++seq
    loading.value = true
    try {
      const data = await fetchPage({ page: pager.page, per_page: pager.per_page })
      if (mine !== seq) return
      items.value = data.items || []
      total.value = data.total ?? items.value.length
      error.value = null
      // The last row of the last page was removed: step back one page.
      if (items.value.length === 0 && pager.page > 1 && total.value > 0) {
        pager.page = Math.max(1, Math.ceil(total.value / pager.per_page))
        return reload()
      }
    } catch (e) {
      if (mine !== seq) return
      items.value = []
      total.value = 0
      error.value = e
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  function search() { pager.page = 1; return reload() }
  return { items, total, loading, error, pager, reload, search }
}
