/** {@code /api/policy}: the service policy layers, the effective policy and the audit trail (issue 10). */
package org.webims.gateway.web.api.policy;
