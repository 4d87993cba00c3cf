package io.kplane.model;

/**
 * JSON/YAML input that cannot be decoded (malformed, wrong type, bad quantity or timestamp), or an
 * object that cannot be encoded. The message says what and where; the API server answers 400.
 */
public final class CodecException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
