// The signed-in user (from /auth/me or login). Kept in memory only.
import { defineStore } from 'pinia'
import { api, setCsrfToken } from '@/api/client'

export const useSessionStore = defineStore('session', {
  state: () => ({
    user: null,     // contract `user` object, null when signed out
    loaded: false,  // /auth/me was asked once
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
      setCsrfToken(data.csrf_token)
      this.loaded = true
    },
    async fetchMe() {
      try {
        this.accept(await api.get('/auth/me', undefined, { quiet: true }))
      } catch {
        this.user = null
        setCsrfToken('')
        this.loaded = true
      }
      return this.user
    },
    async login(username, password) {
      const data = await api.post('/auth/login', { username, password }, { quiet: true })
      this.accept(data)
      return this.user
    },
    async changePassword(oldPassword, newPassword) {
      const data = await api.post('/auth/password',
        { old_password: oldPassword, new_password: newPassword }, { quiet: true })
      this.accept(data)
      return this.user
    },
    async logout() {
      try { await api.post('/auth/logout', {}, { quiet: true }) } catch { /* already gone */ }
      this.clear()
    },
    clear() {
      this.user = null
      setCsrfToken('')
    },
  },
})
