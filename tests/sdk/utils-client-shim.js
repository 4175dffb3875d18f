// The one function @nocobase/sdk takes from @nocobase/utils/client (see run.js): the name of an auth
// cookie, as NocoBase 2.2.15's utils name it (`nb_<type>_<app>`). Only a browser calls it.
'use strict';

const prefixes = { authToken: 'nb_auth_token', authenticator: 'nb_authenticator', role: 'nb_role', csrfToken: 'nb_csrf_token' };

exports.getAuthCookieName = (type, appName) => `${prefixes[type]}_${appName || 'main'}`;
