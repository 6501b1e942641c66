// PartneringConfig: placeholder until its issue lands.
