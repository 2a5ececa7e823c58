package it;

/** A class of a module that releases nothing. */
public final class Plain {
  private Plain() {}
}
