// What waits for the signed-in user (GET /api/v1/tasks/queues): the queues with their counts, the
// total the menu shows as a badge on 我的任务, and 已办. Refreshed after every navigation and
// action (AppLayout, the task page) and with the notify bell's timer — never more often.
import { defineStore } from 'pinia'
import { tasks } from '@/features/tasks/api'

let pending = null

export const useQueuesStore = defineStore('queues', {
  state: () => ({ items: [], total: 0, recent: [], loaded: false }),
  getters: {
    office: (s) => s.items.filter((q) => q.party === 'office'),
    unit: (s) => s.items.filter((q) => q.party === 'unit'),
  },
  actions: {
    /** Read the queues once at a time (a refresh asked while one runs shares it). */
    refresh() {
      if (pending) return pending
      pending = tasks.queues({ quiet: true }).then((data) => {
        this.items = data.items || []
        this.total = data.total || 0
        this.recent = data.recent || []
        this.loaded = true
      }).catch(() => { /* signed out, no task.read, offline: keep the last numbers */ })
        .finally(() => { pending = null })
      return pending
    },
    clear() { this.items = []; this.total = 0; this.recent = []; this.loaded = false },
  },
})
