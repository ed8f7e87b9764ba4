// Unread notification count for the header bell; refreshed every 60 s and after actions.
import { defineStore } from 'pinia'
import { api } from '@/api/client'

let timer = null

export const useNotifyStore = defineStore('notify', {
  state: () => ({ count: 0 }),
  actions: {
    async refresh() {
      try {
        this.count = (await api.get('/notifications/unread-count', undefined, { quiet: true })).count || 0
      } catch { /* signed out or offline: keep the last number */ }
      return this.count
    },
    start() {
      this.stop()
      this.refresh()
      timer = setInterval(() => this.refresh(), 60000)
    },
    stop() { if (timer) clearInterval(timer); timer = null },
  },
})
