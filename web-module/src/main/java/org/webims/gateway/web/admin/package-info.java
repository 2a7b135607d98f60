/**
 * The door of the admin API ({@code /api/*}), in front of the container's authentication: https only, and a
 * per-source throttle of failed authentications instead of account lock-out (issue 9, findings 3 and 4).
 */
package org.webims.gateway.web.admin;
