#!/usr/bin/perl
# Convert ip-location-db ASN CSV files (start_ip,end_ip,asn,organisation; inclusive ranges) into one
# MaxMind DB in the GeoLite2-ASN layout (autonomous_system_number, autonomous_system_organization),
# IPv4 and IPv6 in a single IPv6 tree (IPv4 lands in ::/96, where libmaxminddb looks IPv4 up).
#
# Usage: scripts/csv2mmdb-asn.pl OUT.mmdb IN.csv [IN.csv...]
# The database_type is "ipdb-ASN" (not "GeoLite2-ASN": this is not MaxMind data); Parallax
# recognises the layout from the keys.
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;

die "usage: $0 OUT.mmdb IN.csv [IN.csv...]\n" unless @ARGV >= 2;
my ( $out, @inputs ) = @ARGV;

my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version    => 6,
    record_size   => 28,
    database_type => 'ipdb-ASN',
    languages     => ['en'],
    description   => {
        en => 'ASN ranges from the ip-location-db asn package (RouteViews, NRO, DB-IP; CC BY 4.0)'
    },
    map_key_type_callback => sub {
        return $_[0] eq 'autonomous_system_number' ? 'uint32' : 'utf8_string';
    },
    # Later rows for an already inserted range replace it rather than abort the build.
    merge_strategy => 'none',
);

my $rows = 0;
for my $in (@inputs) {
    open my $fh, '<:encoding(UTF-8)', $in or die "$in: cannot open: $!\n";
    while ( my $line = <$fh> ) {
        chomp $line;
        $line =~ s/\r$//;
        next if $line eq '';
        # Organisation names may be quoted and contain commas ("Cloudflare, Inc.").
        my @f = csv_fields($line);
        die "$in:$.: expected 4 fields: $line\n" unless @f == 4 && $f[2] =~ /^\d+$/;
        my ( $start, $end, $asn, $org ) = @f;
        $tree->insert_range( $start, $end,
            { autonomous_system_number => $asn + 0, autonomous_system_organization => $org } );
        $rows++;
    }
    close $fh;
}

sub csv_fields {
    # Only the organisation (last field) is ever quoted, and it may contain commas and doubled
    # quotes ("Cloudflare, Inc."); apostrophes are ordinary characters ("Xi'an").
    my ($line) = @_;
    my @f = split /,/, $line, 4;
    if ( @f == 4 && $f[3] =~ /^"(.*)"$/ ) { $f[3] = $1 =~ s/""/"/gr; }
    return @f;
}

open my $ofh, '>:raw', "$out.tmp" or die "$out.tmp: cannot open: $!\n";
$tree->write_tree($ofh);
close $ofh or die "$out.tmp: write failed: $!\n";
rename "$out.tmp", $out or die "$out: rename failed: $!\n";
print STDERR "csv2mmdb-asn: $rows ranges -> $out\n";
