package dev.pbstoolchain.packagers.rpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tags carry their number and type; the header takes only values of that type, once each. */
class RpmHeaderTest {

  @Test
  void aValueOfAnotherTypeThanItsTagsIsRefused() {
    assertThatThrownBy(() -> RpmHeader.main().int32(RpmTag.NAME, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("RPMTAG_NAME holds STRING, not INT32");
    assertThatThrownBy(() -> RpmHeader.main().string(RpmTag.SUMMARY, "s"))
        .hasMessage("RPMTAG_SUMMARY holds I18NSTRING, not STRING");
    assertThatThrownBy(() -> RpmHeader.main().int32(RpmTag.LONGSIZE, 1))
        .hasMessage("RPMTAG_LONGSIZE holds INT64, not INT32");
    assertThatThrownBy(() -> RpmHeader.signature().string(SignatureTag.SIZE, "1"))
        .hasMessage("RPMSIGTAG_SIZE holds INT32, not STRING");
  }

  @Test
  void aTagIsSetOnceAndTheRegionIsTheHeaders() {
    RpmHeader<RpmTag> h = RpmHeader.main().string(RpmTag.NAME, "a");
    assertThatThrownBy(() -> h.string(RpmTag.NAME, "b")).hasMessage("RPMTAG_NAME is set twice");
    assertThatThrownBy(() -> h.binary(RpmTag.HEADERIMMUTABLE, new byte[16]))
        .hasMessage("RPMTAG_HEADERIMMUTABLE is the region tag, which the header writes");
  }

  @Test
  void everyTagHasItsOwnNumber() {
    Set<Integer> main = new HashSet<>();
    for (RpmTag tag : RpmTag.values()) {
      assertThat(main.add(tag.number())).as(tag.toString()).isTrue();
    }
    Set<Integer> signature = new HashSet<>();
    for (SignatureTag tag : SignatureTag.values()) {
      assertThat(signature.add(tag.number())).as(tag.toString()).isTrue();
    }
  }

  @Test
  void theHeaderIsTheIndexSortedByTagThenTheAlignedData() {
    byte[] bytes =
        RpmHeader.main()
            .int64(RpmTag.LONGSIZE, 5)
            .string(RpmTag.NAME, "abc")
            .int16(RpmTag.FILEMODES, 0100644)
            .toBytes();
    ByteBuffer b = ByteBuffer.wrap(bytes);
    assertThat(b.getInt()).isEqualTo(0x8eade801);
    b.getInt(); // reserved
    assertThat(b.getInt()).as("entries, the region's included").isEqualTo(4);
    int dataLength = b.getInt();
    int[][] index = new int[4][];
    for (int i = 0; i < 4; i++) {
      index[i] = new int[] {b.getInt(), b.getInt(), b.getInt(), b.getInt()};
    }
    assertThat(index[0]).containsExactly(63, 7, dataLength - 16, 16);
    // NAME at 0 ("abc\0"), FILEMODES aligned to 2 at 4, LONGSIZE aligned to 8 at 8.
    assertThat(index[1]).containsExactly(1000, 6, 0, 1);
    assertThat(index[2]).containsExactly(1030, 3, 4, 1);
    assertThat(index[3]).containsExactly(5009, 5, 8, 1);
    assertThat(dataLength).isEqualTo(16 + 16);
  }

  @Test
  void aSignatureTakesReservedSpaceAndTheHeaderKeepsItsSize() {
    byte[] main = RpmHeader.main().string(RpmTag.NAME, "a").toBytes();
    byte[] unsigned = new SignatureHeader(main, 1000, 2000).toBytes();
    byte[] signed =
        new SignatureHeader(main, 1000, 2000).sign(SignatureTag.RSA, new byte[300]).toBytes();

    assertThat(unsigned).hasSize(SignatureHeader.SPACE);
    assertThat(signed).hasSize(SignatureHeader.SPACE);
    assertThat(ByteBuffer.wrap(signed).getInt(8))
        .isEqualTo(ByteBuffer.wrap(unsigned).getInt(8) + 1);
    assertThatThrownBy(() -> new SignatureHeader(main, 1, 1).sign(SignatureTag.SHA1, new byte[1]))
        .hasMessage("RPMSIGTAG_SHA1 holds no signature");
  }
}
