package dev.pbstoolchain.packagers.rpm;

/** A tag of an rpm header: its number and the one type its value has. */
interface HeaderTag {

  int number();

  RpmType type();
}
