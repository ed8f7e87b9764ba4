// Unread notification count for the header bell; refreshed every 60 s and after actions. The
// same timer refreshes the task queues (the menu's badge): nothing polls more often.
import { defineStore } from 'pinia'
import { notifications } from '@/features/notify/api'
import { useQueuesStore } from '@/stores/queues'
import { useSessionStore } from '@/stores/session'

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
      timer = setInterval(() => {
        this.refresh()
        if (useSessionStore().has('task.read')) useQueuesStore().refresh()
      }, 60000)
    },
    stop() { if (timer) clearInterval(timer); timer = null },
  },
})
