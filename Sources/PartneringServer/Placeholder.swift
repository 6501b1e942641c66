// PartneringServer: placeholder until its issue lands.
