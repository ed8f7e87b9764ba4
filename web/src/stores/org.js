// Cached unit tree and unit kinds, shared by the unit selectors of every page.
import { defineStore } from 'pinia'
import { api } from '@/api/client'

export const useOrgStore = defineStore('org', {
  state: () => ({ tree: [], treeLoaded: false, kinds: [], kindsLoaded: false }),
  actions: {
    async loadTree(force = false) {
      if (this.treeLoaded && !force) return this.tree
      const data = await api.get('/units/tree', undefined, { quiet: true }).catch(() => ({ items: [] }))
      this.tree = data.items || []
      this.treeLoaded = true
      return this.tree
    },
    invalidateTree() { this.treeLoaded = false; return this.loadTree(true) },
    async loadKinds() {
      if (this.kindsLoaded) return this.kinds
      const data = await api.get('/unit-kinds', undefined, { quiet: true }).catch(() => ({ items: [] }))
      this.kinds = data.items || []
      this.kindsLoaded = true
      return this.kinds
    },
  },
})
