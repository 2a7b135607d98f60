package org.webims.gateway.sip.transport;

import gov.nist.core.StackLogger;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.webims.gateway.sip.logging.RateLimitedLog;

/**
 * Sends JAIN-SIP's own log to the server's logging (category {@code gov.nist}), so its level is set from the
 * WildFly console like any other. Instantiated by JAIN-SIP by name ({@code gov.nist.javax.sip.STACK_LOGGER}).
 */
public final class JulStackLogger implements StackLogger {
    private static final Logger LOG = Logger.getLogger("gov.nist.javax.sip");
    private static final String REPARSING = "reparsing original request";
    private static final RateLimitedLog PROBLEMS = RateLimitedLog.of(LOG);
    private volatile boolean enabled = true;

    @Override
    public void logStackTrace() {
        logStackTrace(TRACE_DEBUG);
    }

    @Override
    public void logStackTrace(int level) {
        if (isLoggingEnabled(level)) {
            LOG.log(toJul(level), "stack trace", new Throwable("stack trace"));
        }
    }

    @Override
    public int getLineCount() {
        return 0;
    }

    @Override
    public void logException(Throwable t) {
        log(Level.WARNING, t.getMessage(), t);
    }

    @Override
    public void logDebug(String message) {
        log(Level.FINE, message, null);
    }

    @Override
    public void logDebug(String message, Exception e) {
        log(Level.FINE, message, e);
    }

    @Override
    public void logTrace(String message) {
        log(Level.FINEST, message, null);
    }

    @Override
    public void logFatalError(String message) {
        log(Level.SEVERE, message, null);
    }

    @Override
    public void logError(String message) {
        log(Level.SEVERE, message, null);
    }

    @Override
    public boolean isLoggingEnabled() {
        return enabled;
    }

    @Override
    public boolean isLoggingEnabled(int level) {
        return enabled && LOG.isLoggable(toJul(level));
    }

    @Override
    public void logError(String message, Exception e) {
        log(Level.SEVERE, message, e);
    }

    @Override
    public void logWarning(String message) {
        log(Level.WARNING, message, null);
    }

    @Override
    public void logInfo(String message) {
        log(Level.INFO, message, null);
    }

    @Override
    public void disableLogging() {
        enabled = false;
    }

    @Override
    public void enableLogging() {
        enabled = true;
    }

    @Override
    public void setBuildTimeStamp(String buildTimeStamp) {
        // not recorded
    }

    @Override
    public void setStackProperties(Properties properties) {
        // levels come from the server's logging configuration
    }

    @Override
    public String getLoggerName() {
        return LOG.getName();
    }

    private void log(Level wanted, String message, Throwable t) {
        // with RELEASE_REFERENCES_STRATEGY=Normal a finished transaction's request is re-parsed when asked for, which
        // the stack reports as a warning with the message's bytes: expected, not a problem
        Level level = message != null && message.startsWith(REPARSING) ? Level.FINE : wanted;
        if (!enabled || !LOG.isLoggable(level)) {
            return;
        }
        if (level.intValue() >= Level.WARNING.intValue()) {
            // the stack's warnings and errors are mostly about input from outside: one short line per cause at a
            // bounded rate, the cause being the level and the failure's class or the message's opening words (issue 9,
            // finding 14): a flood of warnings does not hide an error that opens with the same words
            PROBLEMS.log(level, level.getName() + ' ' + causeOf(message, t), () -> String.valueOf(message), t);
        } else {
            LOG.log(level, message, t);
        }
    }

    private static String causeOf(String message, Throwable t) {
        if (t != null) {
            return t.getClass().getName();
        }
        String text = String.valueOf(message);
        int end = 0; // the opening words: a message's variable part (an address, an array's identity) is not its cause
        while (end < Math.min(text.length(), 40) && (Character.isLetter(text.charAt(end)) || text.charAt(end) == ' ')) {
            end++;
        }
        return text.substring(0, end == 0 ? Math.min(text.length(), 40) : end);
    }

    private static Level toJul(int level) {
        if (level <= TRACE_ERROR) {
            return Level.SEVERE;
        }
        if (level <= TRACE_WARN) {
            return Level.WARNING;
        }
        if (level <= TRACE_INFO) {
            return Level.INFO;
        }
        return level <= TRACE_DEBUG ? Level.FINE : Level.FINEST;
    }
}
