/** The admin REST API under {@code /api} (JSON, role {@code admin}; see the interface contract). */
package org.webims.gateway.web.api;
