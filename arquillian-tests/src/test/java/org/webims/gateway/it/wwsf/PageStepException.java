package org.webims.gateway.it.wwsf;

import java.util.List;

/** A page step that failed or got no answer in time; the message carries the page's recent console. */
public final class PageStepException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    PageStepException(String page, String step, String why, List<String> console) {
        super(describe(page, step, why, console));
    }

    private static String describe(String page, String step, String why, List<String> console) {
        StringBuilder text = new StringBuilder();
        if (page != null) {
            text.append(page).append(": ");
        }
        text.append(step).append(" failed: ").append(why);
        if (console != null && !console.isEmpty()) {
            text.append("\n  recent page console:");
            console.forEach(line -> text.append("\n    ").append(line));
        }
        return text.toString();
    }
}
