package org.webims.gateway.sip.media;

/** A bencoded document that does not follow the grammar, or a value that bencode cannot carry. */
public final class BencodeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    BencodeException(String message) {
        super(message);
    }
}
