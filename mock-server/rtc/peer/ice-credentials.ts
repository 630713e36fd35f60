/**
 * The client ICE credentials a server PeerConnection keeps for its whole life.
 *
 * An ICE restart (a resume's offer, or one after ICE failed) brings new credentials. libdatachannel cannot restart
 * ICE on a PeerConnection (it refuses the offer: "Invalid ICE settings from remote SDP"), and a new server-side
 * PeerConnection would restart DTLS and lose the client's SCTP association and its data channels. So the offer is
 * applied with the credentials the peer took first, and the answer keeps the server's: libwebrtc keeps its working
 * candidate pair, media and data go on (deliberate difference rtc-ice-restart-kept; PEER-CHOICE.md).
 */
export class IceCredentials {
  #accepted?: { ufrag: string; pwd: string };

  /** The offer as the PeerConnection can take it, and whether the client restarted ICE. */
  apply(offerSdp: string): { sdp: string; restarted: boolean } {
    const ufrag = /^a=ice-ufrag:(\S+)/m.exec(offerSdp)?.[1];
    const pwd = /^a=ice-pwd:(\S+)/m.exec(offerSdp)?.[1];
    if (!ufrag || !pwd) return { sdp: offerSdp, restarted: false };
    const accepted = (this.#accepted ??= { ufrag, pwd });
    if (ufrag === accepted.ufrag) return { sdp: offerSdp, restarted: false };
    const sdp = offerSdp.replace(/^a=ice-ufrag:\S+/gm, `a=ice-ufrag:${accepted.ufrag}`).replace(/^a=ice-pwd:\S+/gm, `a=ice-pwd:${accepted.pwd}`);
    return { sdp, restarted: true };
  }
}
