// Cached unit tree and unit kinds, shared by the unit selectors of every page.
import { defineStore } from 'pinia'
import { units } from '@/features/org/api'

export const useOrgStore = defineStore('org', {
  state: () => ({ tree: [], treeLoaded: false, kinds: [], kindsLoaded: false }),
  actions: {
    async loadTree(force = false) {
      if (this.treeLoaded && !force) return this.tree
      const data = await units.tree({ quiet: true }).catch(() => ({ items: [] }))
      this.tree = data.items || []
      this.treeLoaded = true
      return this.tree
    },
    invalidateTree() { this.treeLoaded = false; return this.loadTree(true) },
    async loadKinds() {
      if (this.kindsLoaded) return this.kinds
      const data = await units.kinds({ quiet: true }).catch(() => ({ items: [] }))
      this.kinds = data.items || []
      this.kindsLoaded = true
      return this.kinds
    },
  },
})
