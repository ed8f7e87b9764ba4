// The signed-in user (from /auth/me or login). Kept in memory only.
import { defineStore } from 'pinia'
import { setCsrfToken } from '@/api/client'
import { authApi } from '@/features/auth/api'

export const useSessionStore = defineStore('session', {
  state: () => ({
    user: null,     // contract `user` object, null when signed out
    loaded: false,  // /auth/me was asked once
    limits: {},     // the server's limits the UI checks before sending ({files_max_mb})
  }),
  getters: {
    permissions: (s) => new Set(s.user?.permissions || []),
    signedIn: (s) => !!s.user,
  },
  actions: {
    has(perm) {
      if (!perm) return true
      const list = Array.isArray(perm) ? perm : [perm]
      return list.some((p) => this.permissions.has(p))
    },
    accept(data) {
      this.user = data.user || null
      this.limits = data.limits || {}
      setCsrfToken(data.csrf_token)
      this.loaded = true
    },
    async fetchMe() {
      try {
        this.accept(await authApi.me())
      } catch {
        this.user = null
        setCsrfToken('')
        this.loaded = true
      }
      return this.user
    },
    async login(username, password, captcha) {
      const data = await authApi.login(username, password, captcha)
      this.accept(data)
      return this.user
    },
    async changePassword(oldPassword, newPassword) {
      const data = await authApi.changePassword(oldPassword, newPassword)
      this.accept(data)
      return this.user
    },
    async logout() {
      try { await authApi.logout() } catch { /* already gone */ }
      this.clear()
    },
    clear() {
      this.user = null
      this.limits = {}
      setCsrfToken('')
    },
  },
})
