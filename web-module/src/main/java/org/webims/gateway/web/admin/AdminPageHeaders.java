package org.webims.gateway.web.admin;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The admin pages may never be framed by another site (clickjacking of their Delete buttons): a policy in a
 * {@code <meta>} element cannot say so, only response headers can (CSP Level 2 {@code frame-ancestors}, RFC 7034
 * {@code X-Frame-Options}). Nor are they cached by shared caches.
 */
@WebFilter(urlPatterns = "/admin/*")
public class AdminPageHeaders extends HttpFilter {
    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        response.setHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Cache-Control", "no-store");
        chain.doFilter(request, response);
    }
}
