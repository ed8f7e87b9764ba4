// Sign-in, session and password (src/features/accounts/auth_http.c).
import { api } from '@/api/client'

const quiet = { quiet: true }
export const authApi = {
  me: () => api.get('/auth/me', undefined, quiet),
  // captcha: {captcha_id, captcha_answer} once the server asks for one (login.captcha_after)
  login: (username, password, captcha = {}) => api.post('/auth/login', { username, password, ...captcha }, quiet),
  captcha: () => api.get('/auth/captcha', undefined, quiet),
  // the caller's own permissions with their names (我的账户)
  permissions: () => api.get('/auth/permissions'),
  changePassword: (oldPassword, newPassword) =>
    api.post('/auth/password', { old_password: oldPassword, new_password: newPassword }, quiet),
  logout: () => api.post('/auth/logout', {}, quiet),
}
