package dev.pbstoolchain.binarypatcher.elf;

/**
 * One dynamic relocation ({@code Elf_Rela}, {@code Elf_Rel}, or one address of a DT_RELR table):
 * the tag of the table it was read through ({@code DT_RELA}, {@code DT_REL}, {@code DT_JMPREL},
 * {@code DT_RELR}), {@code r_offset}, {@code r_info} (0 for DT_RELR) and {@code r_addend} (0 where
 * the entry has none).
 */
public record Relocation(long table, long offset, long info, long addend) {}
