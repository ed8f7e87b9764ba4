// Unread notification count for the header bell; refreshed every 60 s and after actions.
import { defineStore } from 'pinia'
import { notifications } from '@/features/notify/api'

let timer = null

export const useNotifyStore = defineStore('notify', {
  state: () => ({ count: 0 }),
  actions: {
    async refresh() {
      try {
        this.count = (await notifications.unreadCount()).count || 0
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
